"""The staff console lists allauth's tables with personal data masked."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client

from tests.accounts.conftest import PASSWORD
from videocall.core.permissions import Role

pytestmark = pytest.mark.django_db


def test_console_lists_mask_emails_ips_and_secrets(make_user):
    cache.clear()
    admin = make_user("boss@example.org", password=PASSWORD, roles=[Role.ADMINISTRATOR])
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    member = make_user("listed.person@example.org", password=PASSWORD)
    browser = Client(
        REMOTE_ADDR="81.2.69.160", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    )
    browser.post("/accounts/login/", {"login": "listed.person@example.org", "password": PASSWORD})
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    console = Client()
    console.force_login(admin)
    pages = [
        console.get("/console/account/emailaddress/"),
        console.get("/console/usersessions/usersession/"),
        console.get("/console/mfa/authenticator/"),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert "listed.person@example.org" not in text
        assert "81.2.69.160" not in text and secret not in text
    assert "l•••@e•••.org" in pages[0].content.decode()
    assert "GB" in pages[1].content.decode()
