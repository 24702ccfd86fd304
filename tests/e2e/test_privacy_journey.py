"""A member downloads their data and deletes their account, re-authenticating as asked."""

from __future__ import annotations

import zipfile
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_download_my_data_then_delete_my_account(page: Any, make_user: Any, tmp_path: Any) -> None:
    from django.core.cache import cache

    cache.clear()  # rate-limit counters of earlier tests (same client IP) must not throttle this journey
    user = make_user("journey@example.org", first_name="Jo", last_name="Urney", password=PASSWORD)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state("networkidle")

    page.goto("/privacy/settings/")
    page.locator("#download-my-data").click()
    page.wait_for_load_state("networkidle")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
    assert "/privacy/exports/" in page.url
    page.reload()
    assert page.locator("#export-status").inner_text() == "Ready"
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    target = tmp_path / "mine.zip"
    info.value.save_as(target)
    with zipfile.ZipFile(target) as archive:
        assert "README.md" in archive.namelist()
        assert "journey@example.org" in archive.read("identity.json").decode()

    page.goto("/privacy/delete/")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
    page.fill("input[name=confirm]", "DELETE")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_load_state("networkidle")
    assert "deleted" in page.content()
    user.refresh_from_db()
    assert user.is_deleted and user.display_name == "Deleted user"
    page.goto("/privacy/settings/")
    assert "/accounts/login/" in page.url
    assert page.console_errors == []
