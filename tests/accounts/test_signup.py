"""Registration: neutral age screen, nothing stored below the minimum age, no enumeration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection

from tests.accounts.conftest import adult_birth_date, child_birth_date, signup_data
from videocall.accounts.agegate import AGE_CHECK_COOKIE
from videocall.accounts.models import User

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table name from the model registry, quoted
            counts[table] = cursor.fetchone()[0]
    return counts


def test_signup_form_asks_neutrally_for_the_date_of_birth(client, settings):
    import re

    page = client.get("/accounts/signup/").content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    for field in ("first_name", "last_name", "email", "password1", "date_of_birth"):
        assert f'name="{field}"' in page
    lowered = page.lower()
    assert not re.search(rf"\b{settings.VIDEOCALL_MINIMUM_AGE}\b", page)
    assert "years old" not in lowered and "minimum age" not in lowered and "too young" not in lowered


def test_adult_signup_stores_names_and_only_the_fact_of_the_age_check(client):
    before = dt.datetime.now(dt.UTC)
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    user = User.objects.get_by_email("new.person@example.org")
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    from videocall.core.permissions import Role

    assert user.roles == {Role.MEMBER}
    assert user.age_check_passed_at is not None and user.age_check_passed_at >= before
    assert not any(f.name in ("date_of_birth", "birth_date", "dob") for f in User._meta.get_fields())
    assert len(mail.outbox) == 1 and "confirm-email" in mail.outbox[0].body
    assert AGE_CHECK_COOKIE not in response.cookies


@pytest.mark.parametrize("minimum", [13, 16])
def test_under_age_signup_stores_nothing_and_sends_nothing(client, settings, minimum):
    settings.VIDEOCALL_MINIMUM_AGE = minimum
    today = dt.date.today()
    birth = dt.date(today.year - minimum + 1, 1, 1).isoformat()
    before = row_counts()
    response = client.post("/accounts/signup/", signup_data(date_of_birth=birth))
    assert response.status_code == 200
    body = response.content.decode()
    assert "we cannot create an account for you" in body
    assert str(minimum) not in body.split("we cannot create an account for you")[1][:200]
    assert "new.person@example.org" not in body and 'value="Ada"' not in body, "nothing is echoed back"
    assert row_counts() == before, "an under-age sign-up must leave no row in any table"
    assert mail.outbox == []
    cookie = response.cookies[AGE_CHECK_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == settings.VIDEOCALL_AGE_CHECK_COOKIE_SECONDS
    assert birth not in cookie.value and "Ada" not in cookie.value


def test_the_age_check_cookie_blocks_an_immediate_retry(client):
    client.post("/accounts/signup/", signup_data(date_of_birth=child_birth_date()))
    response = client.post("/accounts/signup/", signup_data(date_of_birth=adult_birth_date()))
    assert response.status_code == 200
    assert "we cannot create an account for you" in response.content.decode()
    assert not User.objects.filter(email__iexact="new.person@example.org").exists()
    assert mail.outbox == []


def test_the_refusal_cookie_is_signed(client):
    client.cookies[AGE_CHECK_COOKIE] = "forged"
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302


def test_signup_answers_known_and_unknown_emails_the_same_way(client, make_user):
    make_user("taken@example.org")
    known = client.post("/accounts/signup/", signup_data("taken@example.org"))
    client.cookies.clear()
    unknown = client.post("/accounts/signup/", signup_data("fresh@example.org"))
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    # Each address gets a mail (the owner of the known one is told someone tried to sign up).
    assert sorted(m.to[0] for m in mail.outbox) == ["fresh@example.org", "taken@example.org"]
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_headless_app_signup_below_the_minimum_age_is_refused_and_stores_nothing(client):
    before = row_counts()
    response = client.post(
        "/api/v1/auth/app/v1/auth/signup",
        {
            "email": "kid@example.org",
            "password": "a long and unusual passphrase 42",
            "first_name": "Kid",
            "last_name": "Example",
            "date_of_birth": child_birth_date(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    codes = [e.get("code") for e in response.json()["errors"]]
    assert "age_check_failed" in codes
    assert row_counts() == before
    assert mail.outbox == []
    assert AGE_CHECK_COOKIE in response.cookies


def test_signup_password_rules(client):
    response = client.post("/accounts/signup/", signup_data(password1="password"))
    assert response.status_code == 200
    assert not User.objects.exists()
    long_password = "x" * 20 + " correct horse battery staple " + "y" * 30
    response = client.post("/accounts/signup/", signup_data(password1=long_password))
    assert response.status_code == 302


def test_models_have_no_date_of_birth_anywhere():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            assert "birth" not in field.name, f"{model._meta.label}.{field.name}"


def test_the_refusal_cookie_uses_the_host_prefix_when_cookies_are_secure(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post("/accounts/signup/", signup_data(date_of_birth=child_birth_date()), secure=True)
    cookie = response.cookies["__Host-" + AGE_CHECK_COOKIE]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert cookie["samesite"] == "Lax"
