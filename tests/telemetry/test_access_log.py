from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.telemetry.conftest import raw_rows
from videocall.accounts.models import Device
from videocall.telemetry import accesslog
from videocall.telemetry.models import AccessLogEntry
from videocall.telemetry.selectors import sessions_for
from videocall.telemetry.services import sweep_access_log

FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
pytestmark = pytest.mark.django_db


def test_signed_in_request_is_logged_with_route_name_browser_os_and_country(member_client, member):
    response = member_client.get(
        "/telemetry/devices/?q=secret-search", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="81.2.69.160"
    )
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.user == member
    assert entry.route == "telemetry:devices"
    assert (entry.method, entry.status, entry.auth) == ("GET", 200, "session")
    assert entry.browser == "Firefox 128"
    assert entry.os == "Ubuntu"
    assert entry.country == "GB"
    assert entry.ip == "81.2.69.160"
    assert len(entry.session_hash) == 64
    assert entry.session_hash != member_client.session.session_key


def test_anonymous_requests_are_not_logged(client):
    client.get("/", HTTP_USER_AGENT=FIREFOX)
    assert AccessLogEntry.objects.count() == 0


def test_unresolved_paths_are_logged_without_the_path(member_client):
    member_client.get("/no/such/page/12345/")
    entry = AccessLogEntry.objects.get()
    assert entry.route == accesslog.UNRESOLVED_ROUTE
    assert entry.status == 404


def test_app_token_requests_are_logged_as_app_sessions(client, make_user, app_token):
    user = make_user("app@example.org")
    token = app_token("app@example.org")
    response = client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(route="api:telemetry_devices").get()
    assert entry.user == user and entry.auth == "app"
    assert entry.session_hash == accesslog.session_hash(token)


def test_the_access_log_never_stores_query_strings_passwords_tokens_or_bodies(client, make_user, app_token):
    """Scan the raw database rows (ciphertexts included) for every secret the requests carried."""
    password = "correct horse battery staple"
    make_user("scan@example.org", password=password)
    token = app_token("scan@example.org")
    body_secret = "body-secret-MeetingNotes-4711"
    query_secret = "query-secret-4242"
    client.get(f"/api/v1/telemetry/devices?search={query_secret}", HTTP_X_SESSION_TOKEN=token)
    client.post(
        f"/api/v1/telemetry/devices?next={query_secret}",
        data={"model": body_secret, "platform": "android", "push_token": "push-" + body_secret},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    client.post(
        "/api/v1/auth/app/v1/auth/login",
        data={"email": "scan@example.org", "password": password},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    client.get("/telemetry/devices/", {"password": password}, HTTP_AUTHORIZATION=f"Bearer {token}")
    rows = raw_rows("telemetry_accesslogentry")
    assert len(rows) >= 2
    dump = repr(rows)
    for secret in (query_secret, password, token, body_secret, "search=", "?", "/api/v1/telemetry/devices"):
        assert secret not in dump
    for entry in AccessLogEntry.objects.all():  # and not in the decrypted values either
        decrypted = " ".join([entry.route, entry.ip, entry.browser, entry.os, entry.country, entry.method])
        for secret in (query_secret, password, token, body_secret):
            assert secret not in decrypted


def test_raw_rows_hold_no_clear_ip_or_user_agent(member_client):
    member_client.get("/telemetry/devices/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="81.2.69.160")
    dump = repr(raw_rows("telemetry_accesslogentry"))
    assert "81.2.69.160" not in dump
    assert "Firefox" not in dump
    assert "Gecko" not in dump


def test_rows_are_buffered_and_bulk_inserted(member_client, settings):
    settings.VIDEOCALL_ACCESS_LOG_BATCH = 5
    settings.VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = 0
    for _ in range(4):
        member_client.get("/telemetry/devices/")
    assert AccessLogEntry.objects.count() == 0
    assert accesslog.buffer.pending() == 4
    member_client.get("/telemetry/devices/")
    assert AccessLogEntry.objects.count() == 5
    member_client.get("/telemetry/devices/")
    assert accesslog.flush() == 1
    assert AccessLogEntry.objects.count() == 6


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.django_db(transaction=True)  # the flush thread writes on its own connection
def test_the_production_path_a_background_thread_flushes_full_batches_and_on_the_interval(
    member_client, settings
):
    """As deployed (no override of the suite): requests only append to the buffer and the flush thread
    bulk-inserts, woken by a full batch or by its interval."""
    buffer = accesslog.buffer
    buffer.stop()
    written = buffer.written
    settings.VIDEOCALL_ACCESS_LOG_BATCH = 3
    settings.VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = 60  # long: only the full batch wakes the thread
    try:
        member_client.get("/telemetry/devices/")
        member_client.get("/telemetry/devices/")
        assert buffer.pending() == 2 and buffer.written == written  # nothing written on the request path
        member_client.get("/telemetry/devices/")
        assert _wait_for(lambda: buffer.written == written + 3), "the full batch was not flushed"
        assert AccessLogEntry.objects.filter(route="telemetry:devices").count() == 3
        buffer.stop()

        settings.VIDEOCALL_ACCESS_LOG_BATCH = 200  # the default: never full here, the interval flushes
        settings.VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = 0.2
        member_client.get("/telemetry/devices/", HTTP_USER_AGENT=FIREFOX)
        assert _wait_for(lambda: buffer.written == written + 4), "the interval did not flush"
        assert AccessLogEntry.objects.count() == 4
        assert AccessLogEntry.objects.order_by("-id").first().browser == "Firefox 128"
    finally:
        buffer.stop()
    assert buffer.pending() == 0


def test_disabled_middleware_records_nothing(member_client, settings):
    settings.VIDEOCALL_ACCESS_LOG_ENABLED = False
    member_client.get("/telemetry/devices/")
    assert AccessLogEntry.objects.count() == 0 and accesslog.buffer.pending() == 0


def test_requests_update_the_devices_last_seen(client, make_user, app_token):
    user = make_user("seen@example.org")
    token = app_token("seen@example.org")
    device = Device.objects.create(
        user=user, session_key=token, last_seen_at=timezone.now() - timedelta(days=3)
    )
    client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=token)
    device.refresh_from_db()
    assert device.last_seen_at > timezone.now() - timedelta(minutes=1)


def test_session_start_and_end_come_from_the_access_log(member, member_client):
    member_client.get("/telemetry/devices/")
    member_client.get("/telemetry/devices/")
    first, _last = AccessLogEntry.objects.order_by("id")
    AccessLogEntry.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))
    spans = sessions_for(member)
    assert len(spans) == 1
    assert spans[0].requests == 2
    assert spans[0].ended_at - spans[0].started_at > timedelta(hours=1, minutes=59)


def test_retention_sweep_deletes_old_rows_and_blanks_old_ips(member, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "access_log": 90, "ip_address": 30}
    now = timezone.now()

    def entry(age_days: int) -> AccessLogEntry:
        return AccessLogEntry.objects.create(
            user=member,
            created_at=now - timedelta(days=age_days),
            method="GET",
            route="home",
            status=200,
            latency_ms=1,
            ip="81.2.69.160",
            country="GB",
        )

    fresh, ip_expired, expired = entry(1), entry(31), entry(91)
    result = sweep_access_log(now)
    assert result["access_log_deleted"] == 1
    assert not AccessLogEntry.objects.filter(pk=expired.pk).exists()
    ip_expired.refresh_from_db()
    fresh.refresh_from_db()
    assert ip_expired.ip == "" and ip_expired.country == "GB"
    assert fresh.ip == "81.2.69.160"
    assert sweep_access_log(now) == {"access_log_deleted": 0, "ip_blanked": 0}


def test_the_privacy_retention_sweep_runs_both_telemetry_sweeps(member, settings):
    from videocall.core.datamap import retention_sweeps
    from videocall.privacy.tasks import retention_sweep

    assert {"access_log", "crash_reports"} <= {category for category, _fn in retention_sweeps()}
    assert "privacy-retention-sweep" in settings.CELERY_BEAT_SCHEDULE
    AccessLogEntry.objects.create(
        user=member,
        created_at=timezone.now() - timedelta(days=settings.RETENTION_DAYS["access_log"] + 1),
        method="GET",
        route="home",
        status=200,
        latency_ms=1,
    )
    retention_sweep.apply().get()
    assert AccessLogEntry.objects.count() == 0
