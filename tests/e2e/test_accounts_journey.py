"""A whole account journey in a real browser: register, verify from the mailbox, sign in, enroll TOTP,
sign in again with a TOTP code, change the name, upload a picture, see the sessions, sign out."""

from __future__ import annotations

import io
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from PIL import Image

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "journey@example.org"
PASSWORD = "a long and unusual passphrase 42"


def totp(secret: str, *, not_equal_to: str = "") -> str:
    while True:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        if code != not_equal_to:
            return code
        time.sleep(1)


def picture_file(tmp_path):
    path = tmp_path / "me.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_account_journey(page, live_server, tmp_path):
    from django.core.cache import cache

    cache.clear()
    page.goto("/accounts/signup/")
    page.fill("input[name=first_name]", "Jo")
    page.fill("input[name=last_name]", "Urney")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=date_of_birth]", "1990-04-02")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()
    assert "confirm-email" in page.url

    message = next(m for m in mail.outbox if m.to == [EMAIL])
    path = re.search(r"(/accounts/confirm-email/[^\s]+/)", message.body).group(1)
    page.goto(path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert page.locator(".who", has_text="Signed in as Jo Urney").is_visible()

    # Enroll TOTP (allauth asks for the password again first when the login is not recent).
    page.goto("/accounts/2fa/totp/activate/")
    if "reauthenticate" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_load_state()
    secret = page.input_value("#authenticator_secret")
    first_code = totp(secret)
    page.fill("input[name=code]", first_code)
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    assert "recovery-codes" in page.url or "2fa" in page.url

    # Sign out, then in again: password, then the TOTP code.
    page.goto("/account/")
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert "/2fa/authenticate" in page.url
    page.fill("input[name=code]", totp(secret, not_equal_to=first_code))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert page.locator(".who", has_text="Signed in as Jo Urney").is_visible()

    # Change the name.
    page.goto("/account/profile/")
    page.fill("input[name=first_name]", "Joanna")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your profile was saved.").is_visible()
    assert page.locator(".who", has_text="Signed in as Joanna Urney").is_visible()

    # Upload a picture and see it served back.
    page.set_input_files("input[name=picture]", str(picture_file(tmp_path)))
    page.get_by_role("button", name="Upload picture").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your picture was updated.").is_visible()
    image = page.locator("img.avatar")
    assert image.is_visible()
    assert page.evaluate("document.querySelector('img.avatar').naturalWidth") > 0

    # Sessions and devices.
    page.goto("/account/sessions/")
    assert page.get_by_text("(this session)").is_visible()
    assert page.locator("tr.session").count() == 1

    # Sign out: the account pages are closed again.
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state()
    page.goto("/account/")
    assert "/accounts/login/" in page.url
    assert page.console_errors == []
