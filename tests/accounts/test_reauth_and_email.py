"""Re-authentication building block, email verification for meetings, and the email change."""

from __future__ import annotations

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.accounts.conftest import PASSWORD
from videocall.accounts import selectors
from videocall.accounts.models import User
from videocall.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _request_with_records(user, records):
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/danger/")
    request.user = user
    request.session = SessionStore()
    request.session["account_authentication_methods"] = records
    return request


def test_recently_reauthenticated_is_true_for_five_minutes(member):
    fresh = _request_with_records(member, [{"method": "password", "at": time.time() - 10}])
    stale = _request_with_records(member, [{"method": "password", "at": time.time() - 301}])
    none = _request_with_records(member, [])
    assert selectors.recently_reauthenticated(fresh)
    assert not selectors.recently_reauthenticated(stale)
    assert not selectors.recently_reauthenticated(none)


def test_reauthentication_required_decorator_sends_stale_sessions_to_reauthenticate(member):
    @selectors.reauthentication_required
    def dangerous(request):
        return HttpResponse("done")

    stale = _request_with_records(member, [{"method": "password", "at": time.time() - 600}])
    response = dangerous(stale)
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    fresh = _request_with_records(member, [{"method": "password", "at": time.time()}])
    assert dangerous(fresh).content == b"done"


def test_real_reauthentication_flow_refreshes_the_building_block(make_user):
    make_user("again@example.org", password=PASSWORD)
    client = Client()
    client.post("/accounts/login/", {"login": "again@example.org", "password": PASSWORD})
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time() - 900}]
    session.save()
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    old_key = client.cookies["sessionid"].value
    listed = UserSession.objects.get(session_key=old_key)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    records = client.session["account_authentication_methods"]
    assert records[-1].get("reauthenticated") is True and time.time() - records[-1]["at"] < 5
    # The session id is rotated at re-authentication; the sessions list keeps the entry.
    new_key = client.cookies["sessionid"].value
    assert new_key != old_key and not Session.objects.filter(session_key=old_key).exists()
    assert UserSession.objects.get(pk=listed.pk).session_key == new_key
    assert client.get("/account/").status_code == 200


def test_email_verified_selector(make_user):
    verified = make_user("v@example.org")
    unverified = make_user("u@example.org", verified=False)
    assert selectors.email_verified(verified)
    assert not selectors.email_verified(unverified)
    assert not selectors.email_verified(None)


def test_email_verified_means_the_primary_address(make_user):
    """The one rule (meetings asks it too): the address the account signs in with is verified. A
    verified second address does not count while the primary one is unverified."""
    from allauth.account.models import EmailAddress

    user = make_user("primary@example.org", verified=False)
    EmailAddress.objects.create(user=user, email="second@example.org", verified=True, primary=False)
    assert not selectors.email_verified(user)
    EmailAddress.objects.filter(user=user, primary=True).update(verified=True)
    assert selectors.email_verified(user)


def test_confirmation_links_expire(make_user, settings):
    assert settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS <= 3


def test_email_change_verifies_the_new_address_and_notifies_the_old_one(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("old.address@example.org", password=PASSWORD)
    client = Client()
    client.post("/accounts/login/", {"login": "old.address@example.org", "password": PASSWORD})
    response = client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})
    if response.status_code == 302 and "reauthenticate" in response.headers["Location"]:
        client.post(response.headers["Location"], {"password": PASSWORD})
        response = client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})
    assert response.status_code in (200, 302)
    user.refresh_from_db()
    assert user.email == "old.address@example.org", "unchanged until the new address is verified"
    confirm = next(m for m in mail.outbox if m.to == ["new.address@example.org"])
    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", confirm.body).group(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "new.address@example.org"
    assert User.objects.get_by_email("new.address@example.org").pk == user.pk
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "new.address@example.org"
    ]
    to_old = [m for m in mail.outbox if m.to == ["old.address@example.org"]]
    assert to_old and "email address was changed" in to_old[0].subject.lower()
    assert AuditEvent.objects.filter(action="account.email_changed").exists()


def test_reauthentication_helper_reads_the_app_tokens_session(client, make_user):
    from videocall.core.errors import ReauthenticationRequired

    make_user("apptoken@example.org", password=PASSWORD)
    login = client.post(
        "/api/v1/auth/app/v1/auth/login",
        {"email": "apptoken@example.org", "password": PASSWORD},
        content_type="application/json",
    )
    access = login.json()["meta"]["access_token"]
    request = RequestFactory().post("/api/v1/x", HTTP_AUTHORIZATION=f"Bearer {access}")
    request.user = User.objects.get_by_email("apptoken@example.org")
    assert selectors.recently_reauthenticated(request)
    selectors.require_recent_reauthentication(request)
    stale = RequestFactory().post("/api/v1/x", HTTP_AUTHORIZATION="Bearer not-a-token")
    stale.user = request.user
    with pytest.raises(ReauthenticationRequired):
        selectors.require_recent_reauthentication(stale)
