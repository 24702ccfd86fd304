"""The in-app inbox on the website (bell, list, mark read / all read) and in the app API."""

from __future__ import annotations

import pytest

from videocall.core.permissions import Role
from videocall.notifications.models import Notification, NotificationPreference
from videocall.notifications.services import alert_create

pytestmark = pytest.mark.django_db


def _alerts(user, n):
    return [
        alert_create(user=user, kind="generic", title=f"Notice {i}", body=f"Body {i}", url="/meetings/")
        for i in range(n)
    ]


def test_bell_shows_unread_count_in_the_header(member_client, member):
    _alerts(member, 3)
    page = member_client.get("/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="bell"' in html and '<span class="badge">3</span>' in html
    assert ("Notice 2" in html and page["Cache-Control"].find("no-store") >= 0) or "no-cache" in page[
        "Cache-Control"
    ]


def test_mark_read_and_all_read_on_the_website(member_client, member, make_user):
    mine = _alerts(member, 3)
    other = alert_create(user=make_user("other@example.org"), kind="generic", title="Not yours")
    response = member_client.post(f"/notifications/{mine[0].pk}/read/")
    assert response.status_code == 302
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    # IDOR (S14): another user's alert is a 404 and stays unread
    assert member_client.post(f"/notifications/{other.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None
    # "Open" marks read and follows the alert's own (local) link
    response = member_client.post(f"/notifications/{mine[1].pk}/read/", {"open": "1"})
    assert response["Location"] == "/meetings/"
    response = member_client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    page = member_client.get("/notifications/").content.decode()
    assert 'class="badge"' not in page


def test_api_pagination_and_since_cursor(member_client, member, make_user):
    alerts = _alerts(member, 5)
    alert_create(user=make_user("other@example.org"), kind="generic", title="Not yours")
    first = member_client.get("/api/v1/notifications/?limit=2").json()
    assert [i["title"] for i in first["items"]] == ["Notice 4", "Notice 3"]
    assert first["unread_count"] == 5 and first["latest_id"] == alerts[-1].pk
    second = member_client.get(f"/api/v1/notifications/?limit=2&before={first['next_cursor']}").json()
    assert [i["title"] for i in second["items"]] == ["Notice 2", "Notice 1"]
    third = member_client.get(f"/api/v1/notifications/?limit=2&before={second['next_cursor']}").json()
    assert [i["title"] for i in third["items"]] == ["Notice 0"] and third["next_cursor"] is None
    newer = alert_create(user=member, kind="generic", title="Fresh")
    since = member_client.get(f"/api/v1/notifications/?since={first['latest_id']}").json()
    assert [i["id"] for i in since["items"]] == [newer.pk]
    bad = member_client.get("/api/v1/notifications/?limit=1000")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_api_mark_read_and_read_all(member_client, member, make_user):
    mine = _alerts(member, 2)
    other = alert_create(user=make_user("other@example.org"), kind="generic", title="Not yours")
    response = member_client.post(f"/api/v1/notifications/{mine[0].pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    missing = member_client.post(f"/api/v1/notifications/{other.pk}/read")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    response = member_client.post("/api/v1/notifications/read-all")
    assert response.json() == {"marked": 1, "unread_count": 0}


def test_api_needs_authentication(client):
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_preferences_page_and_api(member_client, member):
    page = member_client.get("/notifications/preferences/")
    assert page.status_code == 200 and b"Support replies" in page.content
    response = member_client.post(
        "/notifications/preferences/", {"support_update__email": "on", "meeting_invitation__push": "on"}
    )
    assert response.status_code == 302
    prefs = {p.topic: (p.by_email, p.by_push) for p in NotificationPreference.objects.filter(user=member)}
    assert prefs == {
        "support_update": (True, False),
        "meeting_invitation": (False, True),
        "news": (False, False),
    }
    api = member_client.get("/api/v1/notifications/preferences").json()
    items = {i["topic"]: (i["by_email"], i["by_push"]) for i in api["items"]}
    assert items == {
        "meeting_invitation": (False, True),
        "support_update": (True, False),
        "news": (False, False),
    }
    offered = {i["topic"]: i["push_offered"] for i in api["items"]}
    assert offered == {"meeting_invitation": True, "support_update": True, "news": False}
    assert b'name="news__email"' in page.content and b'name="news__push"' not in page.content
    assert any("Security notices" in label for label in api["always_sent"])
    updated = member_client.put(
        "/api/v1/notifications/preferences",
        {"items": [{"topic": "support_update", "by_email": False, "by_push": False}]},
        content_type="application/json",
    )
    assert updated.status_code == 200
    assert NotificationPreference.objects.get(user=member, topic="support_update").by_email is False
    unknown = member_client.put(
        "/api/v1/notifications/preferences",
        {"items": [{"topic": "nope", "by_email": True, "by_push": False}]},
        content_type="application/json",
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "validation_failed"


def test_jobs_page_needs_jobs_view(client, make_user):
    from videocall.notifications.models import JobRecord

    JobRecord.objects.create(
        task_id="abc",
        task_name="videocall.notifications.tasks.deliver_email",
        state="failed",
        error="SMTPException",
    )
    admin = make_user("admin@example.org", roles=[Role.ADMINISTRATOR])
    client.force_login(make_user("agent@example.org", roles=[Role.SUPPORT_AGENT]))
    assert client.get("/notifications/jobs/").status_code == 403
    client.force_login(admin)
    page = client.get("/notifications/jobs/?state=failed")
    assert page.status_code == 200
    assert b"deliver_email" in page.content and b"SMTPException" in page.content
