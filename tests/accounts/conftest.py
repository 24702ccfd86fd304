from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

PASSWORD = "a long and unusual passphrase 42"


def adult_birth_date() -> str:
    today = dt.date.today()
    return dt.date(today.year - 30, 1, 15).isoformat()


def child_birth_date() -> str:
    today = dt.date.today()
    return dt.date(today.year - 10, 1, 15).isoformat()


def signup_data(email: str = "new.person@example.org", **overrides: Any) -> dict[str, str]:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": email,
        "password1": PASSWORD,
        "date_of_birth": adult_birth_date(),
    }
    data.update(overrides)
    return data


def confirmation_link(message: Any) -> str:
    match = re.search(r"(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def last_mail_to(address: str) -> Any:
    for message in reversed(mail.outbox):
        if address in message.to:
            return message
    raise AssertionError(f"no mail to {address}")


@pytest.fixture
def web_signup(client: Any) -> Any:
    """Sign up through the real website form, verify the email from the outbox; returns the user."""

    def run(email: str = "new.person@example.org", **overrides: Any) -> Any:
        from videocall.accounts.models import User

        response = client.post(
            "/accounts/signup/", signup_data(email, **overrides), REMOTE_ADDR="203.0.113.77"
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        link = confirmation_link(last_mail_to(email))
        response = client.post(link)
        assert response.status_code == 302
        return User.objects.get_by_email(email)

    return run
