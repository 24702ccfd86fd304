from __future__ import annotations

import json
from typing import Any

import pytest

from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import ConsentRecord, PageView
from videocall.privacy.selectors import has_consent, visitor_has_consent

pytestmark = pytest.mark.django_db


def test_first_visit_sets_only_necessary_cookies_and_offers_equal_buttons(client: Any) -> None:
    response = client.get("/")
    assert set(response.cookies) <= {"csrftoken", "sessionid"}
    page = response.content.decode()
    assert 'id="cookie-reject"' in page and 'id="cookie-accept"' in page
    reject = page[page.index('id="cookie-reject"') - 80 : page.index('id="cookie-reject"')]
    accept = page[page.index('id="cookie-accept"') - 80 : page.index('id="cookie-accept"')]
    assert reject.split("class=")[1] == accept.split("class=")[1]  # same styling: equally prominent
    assert "beacon.js" not in page
    assert 'href="/privacy/cookies/"' in page  # the footer link


def test_reject_then_accept_then_withdraw(client: Any, settings: Any) -> None:
    client.get("/")
    rejected = client.post("/privacy/cookies/", {"choice": "reject_all", "next": "/"})
    assert rejected.status_code == 302 and rejected["Location"] == "/"
    assert settings.VIDEOCALL_CONSENT_COOKIE in rejected.cookies
    page = client.get("/").content.decode()
    assert "cookie-banner" not in page and "beacon.js" not in page
    assert (
        client.post(
            "/privacy/beacon/", json.dumps({"path": "/"}), content_type="application/json"
        ).status_code
        == 204
    )
    assert PageView.objects.count() == 0
    client.post("/privacy/cookies/", {"choice": "accept_all", "next": "/"})
    assert "beacon.js" in client.get("/").content.decode()
    client.post(
        "/privacy/beacon/", json.dumps({"path": "/meetings/?q=secret"}), content_type="application/json"
    )
    assert list(PageView.objects.values_list("path", flat=True)) == ["/meetings/"]
    from django.utils import timezone

    from videocall.privacy.selectors import page_view_counts

    assert page_view_counts(since=timezone.now() - timezone.timedelta(days=1)) == {"/meetings/": 1}
    client.post("/privacy/cookies/", {"choice": "save", "next": "/"})  # nothing ticked: withdraw
    assert "beacon.js" not in client.get("/").content.decode()
    client.post("/privacy/beacon/", json.dumps({"path": "/"}), content_type="application/json")
    assert PageView.objects.count() == 1
    visitors = set(ConsentRecord.objects.values_list("visitor_id", flat=True))
    assert len(visitors) == 1 and all(len(v) >= 24 for v in visitors)
    assert not visitor_has_consent(visitors.pop(), ConsentPurpose.ANALYTICS)


def test_open_redirect_is_refused(client: Any) -> None:
    response = client.post("/privacy/cookies/", {"choice": "reject_all", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_settings_toggle_is_one_click_each_way(member_client: Any, member: Any) -> None:
    page = member_client.get("/privacy/settings/").content.decode()
    assert 'id="toggle-marketing_email"' in page
    member_client.post("/privacy/settings/consent/", {"purpose": "marketing_email", "granted": "1"})
    assert has_consent(member, ConsentPurpose.MARKETING_EMAIL)
    member_client.post("/privacy/settings/consent/", {"purpose": "marketing_email", "granted": "0"})
    assert not has_consent(member, ConsentPurpose.MARKETING_EMAIL)
    channels = set(ConsentRecord.objects.filter(user=member).values_list("channel", flat=True))
    assert channels == {"settings"}
