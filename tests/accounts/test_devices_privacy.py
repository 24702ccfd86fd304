"""Accounts' own export and erasure hooks: the user's devices, and the link to whoever saved the
sign-up settings."""

from __future__ import annotations

import pytest

from videocall.accounts.models import Device, SiteSettings
from videocall.accounts.services import site_settings_update
from videocall.core.datamap import erasers, exporters
from videocall.core.errors import PermissionDenied, ValidationFailed
from videocall.core.permissions import Role
from videocall.privacy.erasure import account_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def devices(member, make_user):
    other = make_user("other@example.org")
    for user in (member, other):
        Device.objects.create(user=user, platform="ios", model="iPhone", push_token="secret-push")
    return other


def test_export_lists_the_users_devices_without_push_tokens(member, devices):
    sections = {s.name: list(s.rows) for s in exporters()["devices"](member)}
    assert set(sections) == {"devices"}
    (row,) = sections["devices"]
    assert row["model"] == "iPhone" and row["has_push_token"] is True
    assert "secret-push" not in repr(row)


def test_erasure_deletes_only_the_users_devices(member, devices):
    erase = dict(erasers())["devices"]
    assert erase(user=member, holds=[]) == {"devices": 1}
    assert not Device.objects.filter(user=member).exists()
    assert Device.objects.filter(user=devices).count() == 1


def test_erasure_keeps_devices_under_a_legal_hold(member, devices):
    assert dict(erasers())["devices"](user=member, holds=["device"]) == {"devices": 0}
    assert Device.objects.filter(user=member).exists()


def test_account_erasure_runs_the_devices_eraser(member, devices):
    totals = account_erase(actor=None, user=member, reason="self_service", notify_user=False)
    assert totals["devices.devices"] == 1
    assert not Device.objects.filter(user=member).exists()


def test_site_settings_stay_when_their_editor_is_erased(make_user):
    admin_user = make_user("admin@staff.example.org", roles=[Role.ADMINISTRATOR])
    site_settings_update(actor=admin_user, registration_mode="closed", minimum_age=15)
    assert dict(erasers())["site_settings"](user=admin_user, holds=[]) == {"site_settings": 1}
    row = SiteSettings.objects.get()
    assert (row.registration_mode, row.minimum_age, row.updated_by_id) == ("closed", 15, None)


def test_site_settings_update_checks_permission_and_values(member, make_user):
    with pytest.raises(PermissionDenied):
        site_settings_update(actor=member, registration_mode="closed", minimum_age=15)
    admin_user = make_user("admin@staff.example.org", roles=[Role.ADMINISTRATOR])
    with pytest.raises(ValidationFailed):
        site_settings_update(actor=admin_user, registration_mode="everyone", minimum_age=15)
    with pytest.raises(ValidationFailed):
        site_settings_update(actor=admin_user, registration_mode="open", minimum_age=12)
    assert not SiteSettings.objects.exists()
