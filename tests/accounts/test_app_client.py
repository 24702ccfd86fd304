"""The mobile app's journey through allauth headless ("app" client, JWT access + rotating refresh tokens):
sign up, verify with the emailed key, log in, fetch /api/v1/me, rotate the refresh token, revoke."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.cache import cache

from tests.accounts.conftest import PASSWORD, adult_birth_date
from videocall.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

AUTH = "/api/v1/auth/app/v1"
EMAIL = "app.user@example.org"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def post(client, path, data, **headers):
    return client.post(f"{AUTH}{path}", data, content_type="application/json", headers=headers)


def test_app_client_journey(client):
    signup = post(
        client,
        "/auth/signup",
        {
            "email": EMAIL,
            "password": PASSWORD,
            "first_name": "App",
            "last_name": "User",
            "date_of_birth": adult_birth_date(),
        },
    )
    assert signup.status_code == 401, signup.content  # pending: verify the email
    flows = {f["id"]: f for f in signup.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"]
    session_token = signup.json()["meta"]["session_token"]

    body = mail.outbox[-1].body
    key = unquote(re.search(r"/accounts/confirm-email/([^\s/]+)/", body).group(1))
    verified = post(client, "/auth/email/verify", {"key": key}, **{"X-Session-Token": session_token})
    assert verified.status_code in (200, 401), verified.content

    login = post(client, "/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200, login.content
    meta = login.json()["meta"]
    access, refresh = meta["access_token"], meta["refresh_token"]
    assert login.json()["data"]["user"]["email"] == EMAIL

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"})
    assert me.status_code == 200, me.content
    assert me.json()["email"] == EMAIL and me.json()["email_verified"] is True
    assert me["Cache-Control"] == "no-store"

    patched = client.patch(
        "/api/v1/me",
        {"last_name": "Renamed", "role": "administrator"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {access}"},
    )
    assert patched.status_code == 200 and patched.json()["roles"] == ["member"]

    sessions = client.get("/api/v1/me/sessions", headers={"Authorization": f"Bearer {access}"}).json()
    assert len(sessions) == 1 and sessions[0]["current"]

    # Refresh tokens rotate: the new pair works, the old refresh token is spent.
    rotated = post(client, "/tokens/refresh", {"refresh_token": refresh})
    assert rotated.status_code == 200, rotated.content
    new_access = rotated.json()["data"]["access_token"]
    new_refresh = rotated.json()["data"]["refresh_token"]
    assert new_refresh != refresh
    assert post(client, "/tokens/refresh", {"refresh_token": refresh}).status_code >= 400
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new_access}"}).status_code == 200

    # Revoke: logging out ends the server-side session; every token of it stops working.
    logout = client.delete(f"{AUTH}/auth/session", headers={"Authorization": f"Bearer {new_access}"})
    assert logout.status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new_access}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"}).status_code == 401
    assert post(client, "/tokens/refresh", {"refresh_token": new_refresh}).status_code >= 400
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"account.signup", "account.email_verified", "auth.login", "auth.logout"} <= actions


def test_app_login_failure_is_identical_for_known_and_unknown_emails(client, make_user):
    make_user("known.app@example.org", password=PASSWORD)
    known = post(client, "/auth/login", {"email": "known.app@example.org", "password": "wrong password!"})
    unknown = post(client, "/auth/login", {"email": "unknown.app@example.org", "password": "wrong password!"})
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()


def test_app_password_reset_request_is_identical_for_known_and_unknown_emails(client, make_user):
    make_user("known.reset@example.org", password=PASSWORD)
    known = post(client, "/auth/password/request", {"email": "known.reset@example.org"})
    unknown = post(client, "/auth/password/request", {"email": "unknown.reset@example.org"})
    assert known.status_code == unknown.status_code
    assert known.json() == unknown.json()


def test_revoking_an_app_session_from_the_website_kills_its_tokens(client, make_user):
    from allauth.usersessions.models import UserSession

    make_user("both@example.org", password=PASSWORD)
    login = post(client, "/auth/login", {"email": "both@example.org", "password": PASSWORD})
    access = login.json()["meta"]["access_token"]
    web = type(client)()
    web.post("/accounts/login/", {"login": "both@example.org", "password": PASSWORD})
    app_session = UserSession.objects.exclude(session_key=web.cookies["sessionid"].value).get()
    assert web.post(f"/account/sessions/{app_session.pk}/revoke/").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"}).status_code == 401


def _login_access_token(client, email):
    login = post(client, "/auth/login", {"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.content
    return login.json()["meta"]["access_token"]


def test_rs256_app_tokens(client, make_user, settings):
    import jwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.HEADLESS_JWT_ALGORITHM = "RS256"
    settings.HEADLESS_JWT_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    make_user("rs256@example.org", password=PASSWORD)
    access = _login_access_token(client, "rs256@example.org")
    assert jwt.get_unverified_header(access)["alg"] == "RS256"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"}).status_code == 200


def test_forged_and_unsigned_tokens_are_refused(client, make_user):
    import jwt

    make_user("forge@example.org", password=PASSWORD)
    access = _login_access_token(client, "forge@example.org")
    claims = jwt.decode(access, options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    forged = jwt.encode(claims, key="not the server key at all, long enough", algorithm="HS256")
    for token in (unsigned, forged, access[:-3] + "abc"):
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"}).status_code == 200
