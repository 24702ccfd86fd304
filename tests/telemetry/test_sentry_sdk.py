"""Must-show: the real sentry-sdk, pointed at our DSN, delivers a crash that staff then see."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sentry_sdk

from tests.telemetry.conftest import raw_rows
from videocall.core.permissions import Role, sync_roles
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set
from videocall.telemetry.models import CrashGroup, CrashReport
from videocall.telemetry.services import crash_project_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _close_server_connections_after_each_request() -> Any:
    """The SDK keeps its HTTP connection alive, and with it a live-server thread; that thread must not
    also keep a persistent database connection (PostgreSQL would refuse to drop the test database)."""
    from django.db import connections

    config = connections.settings["default"]
    previous = config.get("CONN_MAX_AGE", 0)
    config["CONN_MAX_AGE"] = 0
    yield
    config["CONN_MAX_AGE"] = previous


class CheckoutFailed(RuntimeError):
    pass


def open_the_meeting_room(room: str) -> None:
    raise CheckoutFailed(f"room {room} could not be opened")


def _send_crash(dsn: str, user_id: int) -> None:
    sentry_sdk.init(
        dsn=dsn,
        default_integrations=False,
        auto_enabling_integrations=False,
        release="videocall-app@3.1.4",
        environment="production",
    )
    try:
        sentry_sdk.set_user({"id": str(user_id), "email": "leak@example.org", "ip_address": "{{auto}}"})
        sentry_sdk.add_breadcrumb(category="ui", message="tapped Join meeting")
        try:
            open_the_meeting_room("blue-lake")
        except CheckoutFailed as exc:
            sentry_sdk.capture_exception(exc)
        sentry_sdk.flush(timeout=10)
    finally:
        transport = sentry_sdk.get_client().transport
        sentry_sdk.get_client().close(timeout=5)
        # The SDK keeps its HTTP connection pooled; close it so no live-server thread outlives the test.
        pool = getattr(transport, "_pool", None)
        if pool is not None:
            pool.clear()
        sentry_sdk.init(dsn=None)
        sentry_sdk.set_user(None)


def _dsn(live_server: Any, project: Any) -> str:
    host = live_server.url.split("://", 1)[1]
    return f"http://{project.public_key}@{host}/{project.pk}"


def _staff_client(client: Any, make_user: Any) -> Any:
    sync_roles()  # a transactional test's flush leaves the role groups without their permissions
    admin = make_user("admin@example.org", roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    return client


def test_sentry_sdk_delivers_a_crash_without_consent_user_and_ip_are_absent(live_server, client, make_user):
    member = make_user("crashy@example.org")
    project = crash_project_create(actor=None, name="Android app", platform="android")
    _send_crash(_dsn(live_server, project), member.pk)

    report = CrashReport.objects.get()
    assert report.user is None and report.ip == "" and report.breadcrumbs == []
    assert report.detail_consent is False
    assert report.app_version == "videocall-app@3.1.4"
    assert report.exception[-1]["type"] == "CheckoutFailed"
    assert any(f["function"] == "open_the_meeting_room" for f in report.exception[-1]["frames"])
    dump = repr(raw_rows("telemetry_crashreport")) + repr(raw_rows("telemetry_crashgroup"))
    for absent in ("127.0.0.1", "leak@example.org", "open_the_meeting_room", "CheckoutFailed: room"):
        assert absent not in dump  # encrypted at rest; and IP/email never stored at all

    staff = _staff_client(client, make_user)
    listing = staff.get("/telemetry/crashes/")
    assert listing.status_code == 200
    assert b"CheckoutFailed" in listing.content and b"Android app" in listing.content
    group = CrashGroup.objects.get()
    detail = staff.get(f"/telemetry/crashes/{group.pk}/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "open_the_meeting_room" in html and "raise CheckoutFailed" in html  # the stack trace
    assert "videocall-app@3.1.4" in html
    assert "127.0.0.1" not in html and "tapped Join meeting" not in html and "leak@example.org" not in html
    assert "not attached (no consent)" in html
    assert not re.search(rf"(?<!&)#{member.pk}\b", html)  # "&#128276;" is the bell icon, not a user


def test_sentry_sdk_crash_with_consent_keeps_user_ip_and_breadcrumbs(live_server, client, make_user):
    member = make_user("consenting@example.org")
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.CRASH_REPORT_DETAIL, granted=True, channel="app"
    )
    project = crash_project_create(actor=None, name="Website", platform="javascript")
    _send_crash(_dsn(live_server, project), member.pk)
    _send_crash(_dsn(live_server, project), member.pk)

    reports = list(CrashReport.objects.all())
    assert len(reports) == 2
    assert all(r.user == member and r.ip == "127.0.0.1" for r in reports)
    assert reports[0].breadcrumbs[-1]["message"] == "tapped Join meeting"
    group = CrashGroup.objects.get()  # same fingerprint: one group, counted twice
    assert group.count == 2
    html = _staff_client(client, make_user).get(f"/telemetry/crashes/{group.pk}/").content.decode()
    assert "127.0.0.1" in html and "tapped Join meeting" in html
