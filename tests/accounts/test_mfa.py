"""MFA: TOTP with recovery codes for everyone (encrypted at rest, each code once), required for staff."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.cache import cache
from django.test import Client

from tests.accounts.conftest import PASSWORD
from videocall.audit.models import AuditEvent
from videocall.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def totp_now(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302


def enroll_totp(client: Client) -> str:
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and "reauthenticate" in page.headers["Location"]:
        client.post(page.headers["Location"], {"password": PASSWORD})
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    if secret is None:
        secret = re.search(r"secret=([A-Z2-7]+)", page.content.decode())
    assert secret, page.content.decode()[:4000]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret.group(1))})
    assert response.status_code == 302, response.content.decode()[:3000]
    return secret.group(1)


def test_totp_enrolment_login_with_code_and_encrypted_secret(make_user, django_capture_on_commit_callbacks):
    from django.core import mail

    user = make_user("mfa@example.org", password=PASSWORD)
    client = Client()
    sign_in(client, "mfa@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        secret = enroll_totp(client)
    assert any("Two-factor authentication was turned on" in m.subject for m in mail.outbox)
    assert "Sign out everywhere else" in client.get("/accounts/2fa/").content.decode()
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert secret not in str(authenticator.data)
    assert authenticator.data["secret"].startswith("v1:")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert AuditEvent.objects.filter(action="mfa.added").exists()

    other = Client()
    response = other.post("/accounts/login/", {"login": "mfa@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate" in response.headers["Location"]
    assert "_auth_user_id" not in other.session
    wrong = other.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in other.session
    cache.clear()
    ok = other.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert ok.status_code == 302 and "_auth_user_id" in other.session


def test_recovery_codes_work_once(make_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user("codes@example.org", password=PASSWORD)
    TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user)
    code = codes.get_unused_codes()[0]
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert code not in str(stored.data)
    for attempt in range(2):
        client = Client()
        client.post("/accounts/login/", {"login": "codes@example.org", "password": PASSWORD})
        client.post("/accounts/2fa/authenticate/", {"code": code})
        assert ("_auth_user_id" in client.session) is (attempt == 0)


def test_staff_without_mfa_are_sent_to_mfa_setup_before_the_console(make_user):
    make_user("staff@example.org", password=PASSWORD, roles=[Role.SUPPORT_AGENT], mfa=False)
    client = Client()
    sign_in(client, "staff@example.org")
    response = client.get("/console/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/2fa/totp/activate/")
    enroll_totp(client)
    assert client.get("/console/").status_code == 200


def test_members_are_not_forced_into_mfa(member_client):
    assert member_client.get("/account/").status_code == 200
    assert member_client.get("/console/").status_code in (302, 403)
    response = member_client.get("/console/")
    assert "/2fa/" not in response.headers.get("Location", "")


def test_staff_url_detection_uses_the_access_rules():
    from videocall.accounts.middleware import is_staff_url

    assert is_staff_url("/console/")
    assert not is_staff_url("/account/")
    assert not is_staff_url("/accounts/login/")


def test_a_totp_code_works_only_once(make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user("once@example.org", password=PASSWORD)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    code = totp_now(secret)
    results = []
    for _ in range(2):
        client = Client()
        client.post("/accounts/login/", {"login": "once@example.org", "password": PASSWORD})
        client.post("/accounts/2fa/authenticate/", {"code": code})
        results.append("_auth_user_id" in client.session)
    assert results == [True, False]
