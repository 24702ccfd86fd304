"""Browser journeys: a member removes a device; an auditor reads the usage charts (no CSP errors)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from videocall.accounts.models import Device
from videocall.core.permissions import Role, sync_roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_member_removes_a_device(page, live_server, make_user):
    member = make_user("journey@example.org")
    Device.objects.create(user=member, platform="android", model="Old Pixel", session_key="k" * 32)
    _sign_in(page, live_server, member)
    page.goto("/telemetry/devices/")
    assert page.get_by_role("heading", name="Devices and sessions").is_visible()
    assert page.get_by_text("Old Pixel").is_visible()
    page.get_by_role("button", name="Remove and sign out").click()
    assert page.get_by_text("The device was removed and signed out.").is_visible()
    assert not Device.objects.filter(user=member).exists()
    assert page.console_errors == []


def test_auditor_reads_usage_charts_without_javascript_errors(page, live_server, make_user):
    sync_roles()
    auditor = make_user("auditor-journey@example.org", roles=[Role.AUDITOR])
    _sign_in(page, live_server, auditor)
    page.goto("/telemetry/trends/?period=week")
    assert page.get_by_role("heading", name="Usage trends").is_visible()
    assert page.locator("svg.chart").count() >= 4
    assert page.locator("svg.chart rect.bar").first.evaluate("e => getComputedStyle(e).fill") != ""
    assert page.console_errors == []
