"""Sessions and devices: list with browser/OS/device/country, revoke one, revoke all others, IDOR."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.accounts.conftest import PASSWORD
from videocall.accounts.models import Device
from videocall.audit.models import AuditEvent
from videocall.core.signals import new_device_signed_in

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def signed_in(email, *, agent, ip):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sessions_page_lists_every_session_with_browser_os_country_and_device(make_user):
    user = make_user("multi@example.org", password=PASSWORD)
    first = signed_in("multi@example.org", agent=FIREFOX, ip="8.8.8.8")
    second = signed_in("multi@example.org", agent=CHROME_MAC, ip="81.2.69.160")
    key = second.cookies["sessionid"].value
    Device.objects.create(
        user=user, platform="android", model="Pixel 8", os_name="Android", os_version="15", session_key=key
    )
    page = first.get("/account/sessions/").content.decode()
    assert page.count('class="session"') == 2
    for text in ("Firefox 128", "Windows 10", "Chrome 126", "Pixel 8", "Android 15", "US", "GB"):
        assert text in page, text
    assert "8.8.8.8" not in page
    api = first.get("/api/v1/me/sessions").json()
    assert {s["country"] for s in api} == {"US", "GB"}
    assert [s["current"] for s in api].count(True) == 1
    assert {s["kind"] for s in api} == {"web", "app"}


def test_revoke_one_session_ends_it_server_side(make_user):
    make_user("revoker@example.org", password=PASSWORD)
    mine = signed_in("revoker@example.org", agent=FIREFOX, ip="8.8.8.8")
    other = signed_in("revoker@example.org", agent=CHROME_MAC, ip="8.8.4.4")
    other_key = other.cookies["sessionid"].value
    target = UserSession.objects.get(session_key=other_key)
    response = mine.post(f"/account/sessions/{target.pk}/revoke/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()
    assert other.get("/account/").status_code == 302
    assert mine.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_revoked").exists()


def test_api_lists_and_revokes_a_session(make_user):
    make_user("apirevoker@example.org", password=PASSWORD)
    mine = signed_in("apirevoker@example.org", agent=FIREFOX, ip="8.8.8.8")
    other = signed_in("apirevoker@example.org", agent=CHROME_MAC, ip="8.8.4.4")
    listed = mine.get("/api/v1/me/sessions").json()
    assert len(listed) == 2
    assert all({"id", "kind", "first_seen", "last_seen", "current"} <= set(s) for s in listed)
    target = next(s for s in listed if not s["current"])
    response = mine.post(f"/api/v1/me/sessions/{target['id']}/revoke", content_type="application/json")
    assert response.status_code == 204
    assert not Session.objects.filter(session_key=other.cookies["sessionid"].value).exists()
    assert mine.get("/account/").status_code == 200


def test_revoke_all_others_keeps_the_current_one(make_user):
    make_user("everywhere@example.org", password=PASSWORD)
    clients = [signed_in("everywhere@example.org", agent=FIREFOX, ip=f"8.8.8.{i}") for i in range(1, 4)]
    response = clients[0].post("/account/sessions/revoke-others/")
    assert response.status_code == 302
    assert clients[0].get("/account/").status_code == 200
    assert all(c.get("/account/").status_code == 302 for c in clients[1:])
    assert UserSession.objects.count() == 1


def test_another_users_session_id_is_404(make_user):
    make_user("alice@example.org", password=PASSWORD)
    make_user("bob@example.org", password=PASSWORD)
    alice = signed_in("alice@example.org", agent=FIREFOX, ip="8.8.8.8")
    bob = signed_in("bob@example.org", agent=FIREFOX, ip="8.8.8.8")
    alice_session = UserSession.objects.get(
        user__email_index__isnull=False, session_key=alice.cookies["sessionid"].value
    )
    assert bob.post(f"/account/sessions/{alice_session.pk}/revoke/").status_code == 404
    api = bob.post(f"/api/v1/me/sessions/{alice_session.pk}/revoke", content_type="application/json")
    assert api.status_code == 404
    assert alice.get("/account/").status_code == 200


def test_new_device_sign_in_sends_a_notice_and_fires_the_signal(
    make_user, django_capture_on_commit_callbacks
):
    make_user("traveller@example.org", password=PASSWORD)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    new_device_signed_in.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            signed_in("traveller@example.org", agent=FIREFOX, ip="8.8.8.8")
        assert received == []  # the very first sign-in is not "new"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            signed_in("traveller@example.org", agent=FIREFOX, ip="8.8.4.4")
        assert received == []  # same browser and system
        with django_capture_on_commit_callbacks(execute=True):
            signed_in("traveller@example.org", agent=CHROME_MAC, ip="81.2.69.160")
    finally:
        new_device_signed_in.disconnect(listener)
    assert len(received) == 1
    assert received[0]["country"] == "GB" and "Chrome" in received[0]["device_label"]
    notices = [m for m in mail.outbox if "New sign-in" in m.subject]
    assert len(notices) == 1 and "81.2.69.160" not in notices[0].body


def test_disabling_an_account_kills_every_session_and_token(make_user):
    from videocall.accounts.services import sessions_revoke_all

    user = make_user("disabled@example.org", password=PASSWORD)
    web = signed_in("disabled@example.org", agent=FIREFOX, ip="8.8.8.8")
    app = Client()
    login = app.post(
        "/api/v1/auth/app/v1/auth/login",
        {"email": "disabled@example.org", "password": PASSWORD},
        content_type="application/json",
    )
    access = login.json()["meta"]["access_token"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert web.get("/account/").status_code == 302
    assert app.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"}).status_code == 401
    assert sessions_revoke_all(actor=None, user=user, reason="account_disabled") == 2
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.exists()


def test_revoking_all_sessions_finds_the_users_own_without_reading_anyone_elses(make_user, monkeypatch):
    """The one revocation (accounts.services.sessions_revoke_all): the user's session-list rows and
    the sessions their devices signed in with; every other session in the store stays untouched and
    unread (no decrypting every live session to find one user's)."""
    from importlib import import_module

    from django.conf import settings

    from videocall.accounts.services import sessions_revoke_all

    user = make_user("revoked@example.org", password=PASSWORD)
    make_user("bystander@example.org", password=PASSWORD)
    web = signed_in("revoked@example.org", agent=FIREFOX, ip="8.8.8.8")
    bystander = signed_in("bystander@example.org", agent=FIREFOX, ip="8.8.4.4")
    app = Client()
    login = app.post(
        "/api/v1/auth/app/v1/auth/login",
        {"email": "revoked@example.org", "password": PASSWORD},
        content_type="application/json",
    )
    tokens = login.json()["meta"]
    # A session known only through a registered device (no session-list row).
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    Device.objects.create(user=user, platform="android", session_key=store.session_key)

    def no_decoding(*args, **kwargs):
        raise AssertionError("revocation must not decode sessions to find their owner")

    monkeypatch.setattr(Session, "get_decoded", no_decoding)
    assert sessions_revoke_all(actor=None, user=user, reason="test") == 3
    monkeypatch.undo()

    assert web.get("/account/").status_code == 302
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert app.get("/api/v1/me", headers=bearer).status_code == 401
    refreshed = app.post(
        "/api/v1/auth/app/v1/tokens/refresh",
        {"refresh_token": tokens["refresh_token"]},
        content_type="application/json",
    )
    assert refreshed.status_code >= 400
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(store.session_key)
    assert not UserSession.objects.filter(user=user).exists()
    assert bystander.get("/account/").status_code == 200
    event = AuditEvent.objects.get(action="auth.sessions_revoked_all")
    assert event.metadata == {"count": 3, "reason": "test"}


def test_a_new_password_ends_every_other_session_server_side(make_user):
    make_user("newpass@example.org", password=PASSWORD)
    here = signed_in("newpass@example.org", agent=FIREFOX, ip="8.8.8.8")
    there = signed_in("newpass@example.org", agent=CHROME_MAC, ip="8.8.4.4")
    there_key = there.cookies["sessionid"].value
    new = "a different long passphrase 42"
    changed = here.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert changed.status_code == 302
    assert not Session.objects.filter(session_key=there_key).exists()
    assert not UserSession.objects.filter(session_key=there_key).exists()
    assert here.get("/account/").status_code == 200
    assert there.get("/account/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.sessions_revoked_others").exists()


@pytest.mark.parametrize("caller", ["deactivate", "force_sign_out", "reset_mfa", "erase"])
def test_every_revocation_goes_through_the_one_function(
    make_user, caller, django_capture_on_commit_callbacks
):
    from videocall.core.permissions import Role
    from videocall.privacy.erasure import account_erase
    from videocall.staff import services as staff

    admin = make_user("admin@example.org", roles=[Role.ADMINISTRATOR])
    user = make_user("target@example.org", password=PASSWORD)
    web = signed_in("target@example.org", agent=FIREFOX, ip="8.8.8.8")
    with django_capture_on_commit_callbacks(execute=True):
        if caller == "deactivate":
            staff.user_deactivate(actor=admin, user=user)
        elif caller == "force_sign_out":
            staff.user_force_sign_out(actor=admin, user=user)
        elif caller == "reset_mfa":
            staff.user_reset_mfa(actor=admin, user=user)
        else:
            account_erase(actor=user, user=user, reason="self_service")
    assert web.get("/account/").status_code == 302
    event = AuditEvent.objects.get(action="auth.sessions_revoked_all")
    assert event.subject_id == str(user.pk) and event.metadata["count"] == 1
