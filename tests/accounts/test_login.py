"""Login, logout, reset and password change: no enumeration, throttles, rotation, Argon2id."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache

from tests.accounts.conftest import PASSWORD
from videocall.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def login(client, email, password, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def test_stored_password_hash_is_argon2id_at_asvs_parameters(make_user):
    user = make_user("hash@example.org", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_old_hashes_are_upgraded_at_login(client, make_user, settings):
    from django.contrib.auth.hashers import make_password

    user = make_user("old@example.org", password=PASSWORD)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert login(client, "old@example.org", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_login_works_and_rotates_the_session_id(client, make_user):
    make_user("rotate@example.org", password=PASSWORD)
    client.get("/accounts/login/")
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    response = login(client, "rotate@example.org", PASSWORD)
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert len(after) >= 32  # Django keys: 32 chars of [a-z0-9] = about 165 bits


def test_login_failure_is_identical_for_known_and_unknown_emails(client, make_user):
    make_user("known@example.org", password=PASSWORD)
    known = login(client, "known@example.org", "wrong password here")
    unknown = login(client, "nobody@example.org", "wrong password here")
    assert known.status_code == unknown.status_code == 200
    known_text = known.content.decode().replace("known@example.org", "EMAIL")
    unknown_text = unknown.content.decode().replace("nobody@example.org", "EMAIL")
    import re

    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known_text) == strip.sub("", unknown_text)


def test_the_sixth_wrong_password_within_minutes_is_throttled(client, make_user):
    make_user("victim@example.org", password=PASSWORD)
    for _attempt in range(5):
        response = login(client, "victim@example.org", "not the password")
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    sixth = login(client, "victim@example.org", PASSWORD)
    assert sixth.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed" in sixth.content.decode() or sixth.status_code == 429


def test_per_account_throttle_holds_across_ip_addresses(client, make_user):
    make_user("victim2@example.org", password=PASSWORD)
    for attempt in range(5):
        login(client, "victim2@example.org", "not the password", REMOTE_ADDR=f"198.51.100.{attempt + 1}")
    response = login(client, "victim2@example.org", PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_unverified_email_cannot_sign_in_until_verified(client, make_user):
    make_user("unverified@example.org", password=PASSWORD, verified=False)
    response = login(client, "unverified@example.org", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and "confirm-email" in response.headers["Location"]


def test_an_old_session_cookie_is_rejected_after_logout(client, make_user):
    make_user("leaver@example.org", password=PASSWORD)
    login(client, "leaver@example.org", PASSWORD)
    old_key = client.cookies["sessionid"].value
    assert client.get("/account/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=old_key).exists()
    client.cookies["sessionid"] = old_key
    response = client.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_logout_needs_post(client, make_user):
    make_user("stay@example.org", password=PASSWORD)
    login(client, "stay@example.org", PASSWORD)
    client.get("/accounts/logout/")
    assert "_auth_user_id" in client.session


def test_password_reset_answers_known_and_unknown_emails_the_same_way(client, make_user):
    make_user("reset@example.org", password=PASSWORD)
    known = client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "ghost@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert sorted(m.to[0] for m in mail.outbox) == ["ghost@example.org", "reset@example.org"]


def test_password_reset_link_is_single_use(client, make_user, settings):
    import re

    assert settings.PASSWORD_RESET_TIMEOUT <= 3600
    make_user("single@example.org", password=PASSWORD)
    client.post("/accounts/password/reset/", {"email": "single@example.org"})
    link = re.search(r"(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "another quite long passphrase 77"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    client.logout()
    again = client.get(link, follow=True)
    assert "password1" not in again.content.decode() or "bad" in again.content.decode().lower()
    assert AuditEvent.objects.filter(action="auth.password_reset").exists()


def test_password_change_needs_the_current_password_and_notifies(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user("changer@example.org", password=PASSWORD)
    login(client, "changer@example.org", PASSWORD)
    new = "a different long passphrase 99"
    wrong = client.post(
        "/accounts/password/change/", {"oldpassword": "not it at all", "password1": new, "password2": new}
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
            REMOTE_ADDR="203.0.113.9",
        )
    assert ok.status_code == 302
    assert ok.headers["Location"] == "/account/sessions/?offer=password"
    user.refresh_from_db()
    assert user.check_password(new)
    notice = [m for m in mail.outbox if m.to == ["changer@example.org"]]
    assert notice and "password was changed" in notice[0].subject.lower()
    assert "203.0.113.9" not in notice[0].body  # the notice names browser and country, never the IP
    page = client.get(ok.headers["Location"]).content.decode()
    assert "Sign out everywhere else" in page


def test_authentication_events_are_audited_without_personal_data(client, make_user):
    make_user("audited@example.org", password=PASSWORD)
    login(client, "audited@example.org", "wrong password here")
    login(client, "audited@example.org", PASSWORD, REMOTE_ADDR="8.8.8.8")
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["auth.login_failed", "auth.login", "auth.logout"]
    login_event = AuditEvent.objects.get(action="auth.login")
    assert login_event.ip_country == "US"
    for event in AuditEvent.objects.all():
        assert "audited@example.org" not in str(event.metadata)
        assert "8.8.8.8" not in str(event.metadata)
