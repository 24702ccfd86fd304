"""An administrator signs in (password + TOTP), finds a member in the masked user list, reveals the address with a
reason, and the reveal shows up in the audit trail; no JavaScript errors on the way."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from videocall.audit.models import AuditEvent
from videocall.core.permissions import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_reveals_a_masked_email(page, make_user):
    admin_user = make_user(
        "ada.admin@example.org", roles=[Role.ADMINISTRATOR], password="a long staff passphrase"
    )
    # Staff sign in with a second factor: a TOTP authenticator whose secret the test knows.
    Authenticator.objects.filter(user=admin_user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(admin_user, secret)
    member = make_user("mia.member@example.org", first_name="Mia", last_name="Member")

    page.goto("/console/")
    assert "/accounts/login/" in page.url
    page.fill('input[name="login"]', "ada.admin@example.org")
    page.fill('input[name="password"]', "a long staff passphrase")
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_selector('input[name="code"]')
    page.fill('input[name="code"]', format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url("**/console/")

    page.get_by_role("link", name="Users").first.click()
    page.wait_for_url("**/console/accounts/user/")
    page.wait_for_selector("#result_list")
    body = page.content()
    assert "mia.member@example.org" not in body
    assert "m•••@e•••.org" in body

    page.locator(f'a[href="/console/reveal/accounts/user/{member.pk}/email/"]').click()
    page.wait_for_selector('textarea[name="reason"]')
    page.fill('textarea[name="reason"]', "Ticket 1234: member asked us to confirm the address")
    page.get_by_role("button", name="Reveal").click()
    page.wait_for_selector(".revealed")
    assert page.locator(".revealed").inner_text().endswith("mia.member@example.org")

    page.goto("/console/audit/auditevent/")
    action_filter = page.locator('select[name="action_code"]')
    action_filter.select_option("staff.pii_revealed")  # the vocabulary, grouped by app, with labels
    action_filter.locator("xpath=ancestor::form").get_by_role("button").click()
    page.wait_for_url("**/console/audit/auditevent/?action_code=staff.pii_revealed")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Masked personal data revealed staff.pii_revealed #920" in rows.first.inner_text()
    assert AuditEvent.objects.filter(action="staff.pii_revealed", subject_id=str(member.pk)).count() == 1
    assert page.console_errors == []
