"""Security headers on a web page, an API response, the console, the meeting page and a probe page
that replaces CSP directives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

EXPECTED_PERMISSIONS = ("camera=()", "microphone=()", "geolocation=()")


def _assert_common(response, *, hsts: bool = True, permissions: tuple[str, ...] = EXPECTED_PERMISSIONS):
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    for item in permissions:
        assert item in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if hsts:
        hsts_value = response["Strict-Transport-Security"]
        max_age = int(hsts_value.split("max-age=")[1].split(";")[0])
        assert max_age >= 31536000
        assert "includeSubDomains" in hsts_value
    return directives


@pytest.mark.django_db
def test_web_page_headers(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    directives = _assert_common(response)
    assert directives["frame-ancestors"] == "'none'"
    assert directives["frame-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" not in response.get("Cache-Control", "")  # anonymous public page may be cached


@pytest.mark.django_db
def test_signed_in_web_page_is_not_stored(member_client):
    response = member_client.get("/", secure=True)
    _assert_common(response)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_api_response_headers(client, member_client):
    response = client.get("/api/v1/openapi.json", secure=True)
    assert response.status_code == 200
    _assert_common(response)
    authenticated = member_client.get("/api/v1/openapi.json", secure=True)
    assert authenticated["Cache-Control"] == "no-store"
    token = client.get("/api/v1/openapi.json", secure=True, headers={"X-Session-Token": "whatever"})
    assert token["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_console_headers(client, make_user):
    from videocall.core.permissions import Role

    admin_user = make_user("admin@example.org", roles=[Role.ADMINISTRATOR])
    client.force_login(admin_user)
    response = client.get("/console/", secure=True)
    assert response.status_code == 200
    _assert_common(response)
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.urls("tests.security.headers_urls")
def test_a_page_may_set_its_own_csp_for_a_jitsi_origin(client):
    """A view replaces CSP directives with django-csp (as the meeting page does for its Jitsi origin);
    every other page keeps the policy of settings.CONTENT_SECURITY_POLICY."""
    response = client.get("/probe/framed/", secure=True)
    directives = _assert_common(response)
    assert directives["frame-src"] == "'self' https://meet.example"
    assert directives["script-src"] == "'self' https://meet.example"
    assert directives["frame-ancestors"] == "'none'"
    other = client.get("/", secure=True)
    assert "meet.example" not in other["Content-Security-Policy"]


@pytest.mark.django_db
def test_meeting_page_headers(member_client, member, settings):
    """The real meeting page, opened by its owner: the CSP allows the configured Jitsi origin, and only
    it, in script-src and frame-src, and still no inline script."""
    from videocall.meetings.services import Schedule, meeting_create

    settings.JITSI_MODE = "open"  # no token needed to open the page
    settings.JITSI_DOMAIN = "meet.example.org"
    settings.JITSI_SCRIPT_ORIGIN = None
    start = timezone.now() + timedelta(hours=1)
    meeting = meeting_create(
        actor=member,
        schedule=Schedule(title="Headers", starts_at=start, ends_at=start + timedelta(hours=1)),
    )
    response = member_client.get(reverse("meetings:join", args=[meeting.pk]), secure=True)
    assert response.status_code == 200
    assert b"https://meet.example.org/external_api.js" in response.content  # it is the meeting page
    directives = _assert_common(response, permissions=("geolocation=()", "payment=()", "usb=()"))
    assert directives["script-src"] == "'self' https://meet.example.org"
    assert directives["frame-src"] == "'self' https://meet.example.org"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert 'camera=(self "https://meet.example.org")' in response["Permissions-Policy"]  # to Jitsi only
    assert directives["frame-ancestors"] == "'none'"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_error_pages_are_generic(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Traceback" not in body
    assert "urlpatterns" not in body.lower()
    _assert_common(response)


def test_cookie_settings(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_production_cookies_are_host_prefixed_and_secure(production_env):
    import json
    import subprocess

    from tests.security.conftest import VIDEOCALL

    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
    )
    result = subprocess.run(
        [VIDEOCALL, "shell", "-c", code], env=production_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == ["__Host-sessionid", "__Host-csrftoken", True, True, True, 31536000, True]
