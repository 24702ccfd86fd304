"""Devices and sign-up settings moved to accounts, chain checks to audit: the migrations keep every row.

Runs the real migrations on the test database: back to before the move, rows written with the old
models, forward again. The device's encrypted columns must still decrypt (their associated data names
the model), the content types keep their ids, and the tables take the new apps' names.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from videocall.accounts.models import Device, SiteSettings
from videocall.accounts.selectors import site_config
from videocall.audit.models import ChainCheck

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("accounts", "0003_email_blind_index"),
    ("audit", "0001_initial"),
    ("staff", "0001_initial"),
    ("telemetry", "0002_access_log_crash_reports"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets``; returns the historical apps at that point."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_moved_models_keep_their_rows_both_ways() -> None:
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        assert {"telemetry_device", "staff_sitesettings", "staff_chaincheck"} <= _tables()
        user = old.get_model("accounts", "User").objects.create(
            email="mover@example.org", email_index="i" * 64, password="!"
        )
        old.get_model("telemetry", "Device").objects.create(
            user_id=user.pk, platform="ios", model="iPhone 15", push_token="push-secret", session_key="k" * 32
        )
        old.get_model("staff", "SiteSettings").objects.create(
            pk=1, registration_mode="closed", minimum_age=16, updated_by_id=user.pk
        )
        old.get_model("staff", "ChainCheck").objects.create(ok=False, checked=7, broken_at=5, reason="gap")
        old_types = old.get_model("contenttypes", "ContentType").objects
        type_ids = {
            model: old_types.get_or_create(app_label=app, model=model)[0].pk
            for app, model in (("telemetry", "device"), ("staff", "sitesettings"), ("staff", "chaincheck"))
        }

        _migrate(leaves)
        tables = _tables()
        assert {"accounts_device", "accounts_sitesettings", "audit_chaincheck"} <= tables
        assert not {"telemetry_device", "staff_sitesettings", "staff_chaincheck"} & tables
        device = Device.objects.get(user_id=user.pk)
        assert (device.model, device.push_token, device.platform) == ("iPhone 15", "push-secret", "ios")
        with connection.cursor() as cursor:
            cursor.execute("SELECT model, push_token FROM accounts_device")
            assert "iPhone" not in repr(cursor.fetchall())  # still encrypted at rest
        config = site_config()
        assert (config.registration_mode, config.minimum_age, config.from_console) == ("closed", 16, True)
        assert SiteSettings.objects.get().updated_by_id == user.pk
        check = ChainCheck.objects.get()
        assert (check.ok, check.checked, check.broken_at, check.reason) == (False, 7, 5, "gap")
        assert ContentType.objects.get_for_model(Device).pk == type_ids["device"]
        assert ContentType.objects.get_for_model(SiteSettings).pk == type_ids["sitesettings"]
        assert ContentType.objects.get_for_model(ChainCheck).pk == type_ids["chaincheck"]
        added = Device.objects.create(user_id=user.pk, platform="android", model="Pixel")  # ids go on
        assert added.pk > device.pk and ChainCheck.objects.create(ok=True, checked=8).pk > check.pk
        added.delete()

        old = _migrate(BEFORE)  # and back: the old models read the same values
        device = old.get_model("telemetry", "Device").objects.get(user_id=user.pk)
        assert (device.model, device.push_token) == ("iPhone 15", "push-secret")
        assert old.get_model("staff", "SiteSettings").objects.get().minimum_age == 16
        assert old.get_model("contenttypes", "ContentType").objects.get(pk=type_ids["device"]).app_label == (
            "telemetry"
        )
    finally:
        _migrate(leaves)
