"""The cookie must-show, in a real browser: a first visit stores only strictly necessary cookies; the
analytics beacon is absent until opt-in and stops after withdrawal."""

from __future__ import annotations

import time
from typing import Any

import pytest

from videocall.privacy.models import PageView

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NECESSARY = {"csrftoken", "sessionid", "vc_consent"}


def _wait_for_views(expected: int, timeout: float = 5.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = PageView.objects.count()
        if count >= expected:
            return count
        time.sleep(0.1)
    return PageView.objects.count()


def test_cookies_and_analytics_follow_the_choice(page: Any) -> None:
    beacon_calls: list[str] = []
    page.context.on(
        "request",
        lambda r: beacon_calls.append(r.url) if "/privacy/beacon/" in r.url or "beacon.js" in r.url else None,
    )

    page.goto("/")
    names = {c["name"] for c in page.context.cookies()}
    assert names <= {"csrftoken", "sessionid"}, names
    reject = page.locator("#cookie-reject")
    accept = page.locator("#cookie-accept")
    assert reject.is_visible() and accept.is_visible()
    reject_box, accept_box = reject.bounding_box(), accept.bounding_box()
    assert (
        abs(reject_box["height"] - accept_box["height"]) < 1
        and abs(reject_box["width"] - accept_box["width"]) < 2
    )
    page.goto("/privacy/")
    page.wait_for_timeout(300)
    assert beacon_calls == [] and PageView.objects.count() == 0

    page.locator("#cookie-accept").click()
    page.wait_for_load_state("networkidle")
    assert {c["name"] for c in page.context.cookies()} <= NECESSARY
    assert page.locator("#cookie-banner").count() == 0
    assert _wait_for_views(1) >= 1
    assert any("/privacy/beacon/" in url for url in beacon_calls)

    page.get_by_role("contentinfo").get_by_role("link", name="Cookie settings").click()
    page.get_by_role("button", name="Reject all").click()
    page.wait_for_load_state("networkidle")
    seen_calls, seen_views = len(beacon_calls), PageView.objects.count()
    page.goto("/")
    page.goto("/privacy/")
    page.wait_for_timeout(500)
    assert len(beacon_calls) == seen_calls
    assert PageView.objects.count() == seen_views
    assert page.console_errors == []
