"""Raw database contents never hold a user's email, names, IP address, user agent or TOTP secret —
including django-allauth's own tables and the session store."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection

from tests.accounts.conftest import PASSWORD, last_mail_to, signup_data
from videocall.core.crypto import is_encrypted

pytestmark = pytest.mark.django_db

EMAIL = "Grace.Hopper.Private@Example.org"
IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) VideoCallProbe/9.8.7 Firefox/128.0"


def raw_database_text() -> str:
    """Every value of every table, read with plain SQL (works on SQLite and PostgreSQL)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table name from the model registry, quoted
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value).decode("latin-1"))
                    else:
                        chunks.append(str(value))
    return "\n".join(chunks)


def test_nothing_personal_is_stored_in_clear_after_the_real_sign_up_flow(client, settings):
    cache.clear()
    headers = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": AGENT}
    response = client.post(
        "/accounts/signup/",
        signup_data(EMAIL, first_name="Gracewinifred", last_name="Hopperstone"),
        **headers,
    )
    assert response.status_code == 302
    import re

    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", last_mail_to(EMAIL.lower()).body).group(1)
    assert client.post(link, **headers).status_code == 302

    # Sign in with the email in another case: the blind index still finds the account.
    response = client.post("/accounts/login/", {"login": EMAIL.upper(), "password": PASSWORD}, **headers)
    assert response.status_code == 302
    assert client.get("/account/", **headers).status_code == 200

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from videocall.accounts.models import User

    user = User.objects.get_by_email(EMAIL)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    dump = raw_database_text()
    lowered = dump.lower()
    for needle in (
        EMAIL.lower(),
        "grace.hopper.private",
        "gracewinifred",
        "hopperstone",
        IP,
        "videocallprobe",
        secret,
    ):
        assert needle.lower() not in lowered, f"{needle!r} found in the raw database"

    # The ORM still reads everything back.
    address = EmailAddress.objects.get(user=user)
    assert address.email == EMAIL.lower() and address.verified
    assert EmailAddress.objects.filter(email__iexact=EMAIL).exists()
    session = UserSession.objects.get(user=user)
    assert session.ip == IP and session.user_agent == AGENT
    assert TOTP(Authenticator.objects.get(user=user, type="totp")).validate_code is not None
    for row in Session.objects.all():
        assert is_encrypted(row.session_data)


def test_email_uniqueness_is_enforced_by_the_database_on_the_blind_index(make_user):
    from django.db import IntegrityError, transaction

    user = make_user("unique@example.org")
    other = make_user("other@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(user=other, email="UNIQUE@example.org", verified=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(user=user, email="unique@example.org", verified=False)


def test_session_data_is_encrypted_and_tampering_ends_the_session(client, make_user):
    make_user("sess@example.org", password=PASSWORD)
    client.post("/accounts/login/", {"login": "sess@example.org", "password": PASSWORD})
    row = Session.objects.get()
    assert is_encrypted(row.session_data)
    Session.objects.filter(pk=row.pk).update(session_data=row.session_data[:-4] + "AAAA")
    response = client.get("/account/")
    assert response.status_code == 302
