from __future__ import annotations

import gzip
import json
import zlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from videocall.core.permissions import Role
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set
from videocall.telemetry.ingest import parse_envelope
from videocall.telemetry.models import AccessLogEntry, CrashGroup, CrashReport
from videocall.telemetry.services import crash_project_create, sweep_crash_reports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def project():
    return crash_project_create(actor=None, name="iOS app", platform="ios")


def event(exc_type="ValueError", function="load_profile", user_id=None, **extra):
    data = {
        "event_id": "0f" * 16,
        "platform": "cocoa",
        "release": "ios@1.2.3",
        "contexts": {
            "os": {"name": "iOS", "version": "18.1"},
            "device": {"model": "iPhone16,2", "name": "Alice's iPhone"},
        },
        "exception": {
            "values": [
                {
                    "type": exc_type,
                    "value": "bad value for alice@example.org",
                    "stacktrace": {
                        "frames": [
                            {"function": "main", "module": "app", "in_app": True, "lineno": 1},
                            {
                                "function": function,
                                "module": "app.profile",
                                "in_app": True,
                                "lineno": 42,
                                "vars": {"email": "alice@example.org"},
                            },
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {"values": [{"category": "nav", "message": "opened profile", "timestamp": 1.0}]},
        **extra,
    }
    if user_id is not None:
        data["user"] = {"id": str(user_id), "ip_address": "203.0.113.9"}
    return data


def envelope(*events, with_length=True, extra_items=()):
    lines = [json.dumps({"event_id": "0f" * 16, "sent_at": "2026-11-27T10:00:00Z"}).encode()]
    for ev in events:
        payload = json.dumps(ev).encode()
        header = {"type": "event", "length": len(payload)} if with_length else {"type": "event"}
        lines += [json.dumps(header).encode(), payload]
    for item_type, payload in extra_items:
        lines += [json.dumps({"type": item_type, "length": len(payload)}).encode(), payload]
    return b"\n".join(lines) + b"\n"


def post(client, project, body, *, encoding=None, auth="header", path="envelope", **headers):
    url = f"/api/{project.pk}/{path}/"
    if auth == "header":
        headers["HTTP_X_SENTRY_AUTH"] = (
            f"Sentry sentry_version=7, sentry_client=test/1.0, sentry_key={project.public_key}"
        )
    elif auth == "query":
        url += f"?sentry_key={project.public_key}"
    if encoding:
        headers["HTTP_CONTENT_ENCODING"] = encoding
    return client.generic("POST", url, body, content_type="application/x-sentry-envelope", **headers)


def test_envelope_with_and_without_item_lengths_parses():
    ev = {"a": 1}
    for with_length in (True, False):
        parsed = parse_envelope(envelope(ev, with_length=with_length, extra_items=[("client_report", b"{}")]))
        assert parsed.header["event_id"] == "0f" * 16
        assert [h["type"] for h, _p in parsed.items] == ["event", "client_report"]
        assert json.loads(parsed.items[0][1]) == ev


@pytest.mark.parametrize("encoding", [None, "gzip", "deflate"])
@pytest.mark.parametrize("auth", ["header", "query"])
def test_envelope_is_accepted_compressed_or_not(client, project, encoding, auth):
    body = envelope(event())
    if encoding == "gzip":
        body = gzip.compress(body)
    elif encoding == "deflate":
        body = zlib.compress(body)
    response = post(client, project, body, encoding=encoding, auth=auth)
    assert response.status_code == 200, response.content
    assert response.json() == {"id": "0f" * 16}
    report = CrashReport.objects.get()
    assert report.os_name == "iOS" and report.os_version == "18.1" and report.device_model == "iPhone16,2"
    assert report.app_version == "ios@1.2.3"


def test_store_endpoint_takes_one_json_event(client, project):
    response = post(client, project, json.dumps(event()).encode(), path="store")
    assert response.status_code == 200
    assert CrashReport.objects.count() == 1


def test_key_in_envelope_header_dsn_is_accepted(client, project):
    head = {"event_id": "0f" * 16, "dsn": f"https://{project.public_key}@example.org/{project.pk}"}
    payload = json.dumps(event()).encode()
    body = b"\n".join([json.dumps(head).encode(), json.dumps({"type": "event"}).encode(), payload])
    assert post(client, project, body, auth=None).status_code == 200


@pytest.mark.parametrize("key", ["", "0" * 32, "not-a-key"])
def test_wrong_or_missing_key_is_refused(client, project, key):
    response = client.generic(
        "POST",
        f"/api/{project.pk}/envelope/",
        envelope(event()),
        HTTP_X_SENTRY_AUTH=f"Sentry sentry_key={key}",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "crash_bad_key"
    assert CrashReport.objects.count() == 0


def test_key_of_another_project_is_refused(client, project):
    other = crash_project_create(actor=None, name="Web", platform="javascript")
    url = f"/api/{other.pk}/envelope/"
    response = client.generic(
        "POST", url, envelope(event()), HTTP_X_SENTRY_AUTH=f"Sentry sentry_key={project.public_key}"
    )
    assert response.status_code == 401


def test_size_limits_compressed_and_decompressed(client, project, settings):
    settings.VIDEOCALL_CRASH_MAX_COMPRESSED_BYTES = 2000
    settings.VIDEOCALL_CRASH_MAX_BYTES = 50_000
    big = event()
    big["extra"] = {"blob": "x" * 60_000}
    raw = envelope(big)
    assert post(client, project, raw).status_code == 413  # too large on the wire
    bomb = gzip.compress(raw)  # small compressed, too large once inflated
    assert len(bomb) < 2000
    response = post(client, project, bomb, encoding="gzip")
    assert response.status_code == 413 and response.json()["code"] == "crash_too_large"
    assert CrashReport.objects.count() == 0


@pytest.mark.parametrize(
    "body, encoding, status",
    [
        (b"not json\n", None, 422),
        (b'{}\n{"type":"event","length":999}\n{}', None, 422),
        (b"\x1f\x8b garbage", "gzip", 422),
        (b"whatever", "compress", 415),
    ],
)
def test_malformed_bodies_are_4xx_problems(client, project, body, encoding, status):
    response = post(client, project, body, encoding=encoding)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


def test_rate_limit_per_key_per_minute(client, project, settings):
    settings.VIDEOCALL_CRASH_RATE_PER_MINUTE = 3
    statuses = [post(client, project, envelope(event())).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = post(client, project, envelope(event()))
    assert int(limited["Retry-After"]) >= 1 and "X-Sentry-Rate-Limits" in limited
    assert CrashReport.objects.count() == 3


def test_grouping_by_exception_type_and_top_frames(client, project):
    post(client, project, envelope(event()))
    post(client, project, envelope(event(), event()))  # two events in one envelope
    post(client, project, envelope(event(function="save_profile")))
    post(client, project, envelope(event(exc_type="KeyError")))
    assert CrashGroup.objects.count() == 3
    assert sorted(g.count for g in CrashGroup.objects.all()) == [1, 1, 3]
    main = CrashGroup.objects.get(count=3)
    assert main.first_seen_at <= main.last_seen_at
    assert main.last_app_version == "ios@1.2.3" and main.last_os == "iOS 18.1"


def test_without_consent_event_user_ip_breadcrumbs_vars_and_device_name_are_stripped(client, project, member):
    post(client, project, envelope(event(user_id=member.pk)))
    report = CrashReport.objects.get()
    assert report.user is None and report.ip == "" and report.breadcrumbs == []
    assert "vars" not in report.exception[-1]["frames"][-1]
    assert "Alice's iPhone" not in repr(report.__dict__)


def test_with_consent_the_event_user_id_links_the_report(client, project, member):
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.CRASH_REPORT_DETAIL, granted=True, channel="app"
    )
    post(client, project, envelope(event(user_id=member.pk)))
    report = CrashReport.objects.get()
    assert report.user == member and report.ip == "203.0.113.9"
    assert report.breadcrumbs[0]["message"] == "opened profile"
    assert report.exception[-1]["frames"][-1]["vars"] == {"email": "alice@example.org"}


def test_session_token_identifies_the_user_and_marks_the_session_as_crashed(
    client, project, make_user, app_token
):
    user = make_user("tok@example.org")
    consent_set(
        actor=user, user=user, purpose=ConsentPurpose.CRASH_REPORT_DETAIL, granted=True, channel="app"
    )
    token = app_token("tok@example.org")
    response = post(
        client, project, envelope(event()), HTTP_X_SESSION_TOKEN=token, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 200
    report = CrashReport.objects.get()
    assert report.user == user and report.ip == "198.51.100.7"
    entry = AccessLogEntry.objects.get(route="telemetry_crash_envelope")
    assert entry.user == user and entry.auth == "app"


def test_plain_json_endpoint(client, project, member):
    payload = {
        "project_key": project.public_key,
        "exception_type": "NullPointerException",
        "message": "boom",
        "frames": [{"function": "onCreate", "module": "net.videocall.Main", "lineno": 12, "in_app": True}],
        "app_version": "android@5.0",
        "os_name": "Android",
        "os_version": "15",
        "device_model": "Pixel 8",
        "user_id": str(member.pk),
        "breadcrumbs": [{"category": "ui", "message": "tap"}],
    }
    response = client.post("/api/v1/telemetry/crashes", data=payload, content_type="application/json")
    assert response.status_code == 200, response.content
    report = CrashReport.objects.get()
    assert report.group.exception_type == "NullPointerException"
    assert report.user is None and report.breadcrumbs == []
    bad = client.post(
        "/api/v1/telemetry/crashes",
        data={**payload, "project_key": "f" * 32},
        content_type="application/json",
    )
    assert bad.status_code == 401
    invalid = client.post(
        "/api/v1/telemetry/crashes",
        data={**payload, "level": "catastrophic"},
        content_type="application/json",
    )
    assert invalid.status_code == 422


def test_staff_views_need_the_crashes_permission(client, make_user, project):
    post(client, project, envelope(event()))
    group = CrashGroup.objects.get()
    for role, allowed in ((Role.ADMINISTRATOR, True), (Role.AUDITOR, False), (Role.SUPPORT_AGENT, False)):
        user = make_user(f"{role.value}@example.org", roles=[role])
        client.force_login(user)
        for url in ("/telemetry/crashes/", f"/telemetry/crashes/{group.pk}/"):
            assert client.get(url).status_code == (200 if allowed else 403)
    client.logout()
    assert client.get("/telemetry/crashes/").status_code == 302


def test_crash_retention_sweep(client, project, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "crash_reports": 90}
    post(client, project, envelope(event()))
    post(client, project, envelope(event(exc_type="KeyError")))
    old = CrashReport.objects.get(group__exception_type="KeyError")
    CrashReport.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=91))
    result = sweep_crash_reports(timezone.now())
    assert result == {"crash_reports_deleted": 1, "crash_groups_deleted": 1}
    assert list(CrashGroup.objects.values_list("exception_type", flat=True)) == ["ValueError"]
    assert sweep_crash_reports(timezone.now()) == {"crash_reports_deleted": 0, "crash_groups_deleted": 0}


def test_ids_beyond_a_bigint_are_not_found_never_a_server_error(client, make_user, project):
    huge = "9" * 25
    response = client.generic(
        "POST",
        f"/api/{huge}/envelope/",
        envelope(event()),
        HTTP_X_SENTRY_AUTH=f"Sentry sentry_key={project.public_key}",
    )
    assert response.status_code == 401
    client.force_login(make_user("adm@example.org", roles=[Role.ADMINISTRATOR]))
    assert client.get(f"/telemetry/crashes/{huge}/").status_code == 404
    assert client.get(f"/api/v1/telemetry/devices/{huge}").status_code == 404
    assert client.delete(f"/api/v1/telemetry/devices/{huge}").status_code in (403, 404)  # CSRF first
    assert client.post(f"/telemetry/devices/{huge}/remove/").status_code == 404
