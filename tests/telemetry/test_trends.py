from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from videocall.core.errors import PermissionDenied
from videocall.core.permissions import Role
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set
from videocall.telemetry.accesslog import session_hash
from videocall.telemetry.models import AccessLogEntry
from videocall.telemetry.selectors import usage_trends

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _hit(user, day: date, session: str, route: str = "home") -> None:
    AccessLogEntry.objects.create(
        user=user,
        created_at=_at(day),
        session_hash=session_hash(session),
        method="GET",
        route=route,
        status=200,
        latency_ms=3,
    )


@pytest.fixture
def people(make_user):
    def analytics(user, granted=True):
        consent_set(
            actor=user, user=user, purpose=ConsentPurpose.ANALYTICS, granted=granted, channel="settings"
        )

    opted_in = make_user("in@example.org")
    analytics(opted_in)
    opted_in_too = make_user("in2@example.org")
    analytics(opted_in_too)
    never = make_user("never@example.org")
    withdrew = make_user("withdrew@example.org")
    analytics(withdrew)
    analytics(withdrew, granted=False)
    restricted = make_user("restricted@example.org")
    analytics(restricted)
    restricted.is_restricted = True
    restricted.save()
    for user in (opted_in, opted_in_too, never, withdrew, restricted):
        user.date_joined = _at(TODAY - timedelta(days=1))
        user.save()
    return {
        "in": opted_in,
        "in2": opted_in_too,
        "never": never,
        "withdrew": withdrew,
        "restricted": restricted,
    }


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.org", roles=[Role.ADMINISTRATOR])


def _series(trends, key):
    return next(s for s in trends.series if s.key == key)


def test_only_consenting_unrestricted_users_are_counted(people, admin):
    yesterday = TODAY - timedelta(days=1)
    for name, user in people.items():
        _hit(user, yesterday, f"s-{name}")
        _hit(user, yesterday, f"s-{name}")
    _hit(people["in"], TODAY, "s-in-2")
    trends = usage_trends(actor=admin, period="day", days=7, today=TODAY)
    active = dict(_series(trends, "active_users").points)
    assert active[yesterday] == 2 and active[TODAY] == 1
    assert dict(_series(trends, "new_accounts").points)[yesterday] == 2


def test_people_who_must_consent_again_are_not_counted(
    people, admin, make_user, django_capture_on_commit_callbacks
):
    """A policy version that changes the analytics purpose voids earlier grants (privacy's one consent
    rule, ``has_consent``): until they consent again, those people are not in the charts."""
    from videocall.privacy.selectors import has_consent
    from videocall.privacy.services import policy_draft_save, policy_publish

    officer = make_user("officer@example.org", roles=[Role.PRIVACY_OFFICER])
    draft = policy_draft_save(
        actor=officer,
        text="## 1. Intro",
        summary="Analytics now counts meetings.",
        effective_at=timezone.now(),
        reconsent_purposes=["analytics"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(actor=officer, version=draft)
    consent_set(
        actor=people["in2"],
        user=people["in2"],
        purpose=ConsentPurpose.ANALYTICS,
        granted=True,
        channel="settings",
    )
    assert not has_consent(people["in"], ConsentPurpose.ANALYTICS)
    for name, user in people.items():
        _hit(user, TODAY, f"s-{name}")
    trends = usage_trends(actor=admin, period="day", days=7, today=TODAY)
    assert dict(_series(trends, "active_users").points)[TODAY] == 1  # in2 consented again; in did not
    assert dict(_series(trends, "new_accounts").points)[TODAY - timedelta(days=1)] == 1


def test_deleted_accounts_and_crash_free_sessions(people, admin, make_user):
    gone = make_user("gone@example.org")
    gone.is_deleted, gone.deleted_at = True, _at(TODAY)
    gone.save()
    _hit(people["in"], TODAY, "a")
    _hit(people["in"], TODAY, "a", route="telemetry_crash_envelope")
    _hit(people["in2"], TODAY, "b")
    _hit(people["in2"], TODAY, "c")
    _hit(people["never"], TODAY, "d", route="telemetry_crash_envelope")  # not counted at all
    trends = usage_trends(actor=admin, period="day", days=7, today=TODAY)
    assert dict(_series(trends, "deleted_accounts").points)[TODAY] == 1
    crash_free = dict(_series(trends, "crash_free_sessions").points)
    assert crash_free[TODAY] == pytest.approx(66.7)  # 1 crashed of 3 sessions
    assert crash_free[TODAY - timedelta(days=1)] is None  # no sessions: no figure, not 100 %


def test_weekly_grouping_counts_distinct_users(people, admin):
    monday = TODAY - timedelta(days=TODAY.weekday())
    _hit(people["in"], monday, "x")
    _hit(people["in"], monday + timedelta(days=1), "y")
    _hit(people["in2"], monday + timedelta(days=2), "z")
    trends = usage_trends(actor=admin, period="week", days=14, today=TODAY)
    assert trends.buckets[-1] == monday
    assert dict(_series(trends, "active_users").points)[monday] == 2


def test_meeting_metrics_come_from_meeting_sessions(admin, make_user):
    from videocall.meetings.models import Meeting, MeetingSession

    owner = make_user("host@example.org")
    meeting = Meeting.objects.create(owner=owner, title="Standup", room_name="vc-trends-room")
    noon = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    MeetingSession.objects.create(
        meeting=meeting, session_key="a", started_at=noon, duration_seconds=1800, participant_count=3
    )
    MeetingSession.objects.create(
        meeting=meeting, session_key="b", started_at=noon, duration_seconds=600, participant_count=5
    )
    trends = usage_trends(actor=admin, period="day", days=7, today=TODAY)
    assert dict(_series(trends, "meetings_held").points)[TODAY] == 2
    assert dict(_series(trends, "meeting_minutes").points)[TODAY] == 40.0
    assert dict(_series(trends, "participants_per_meeting").points)[TODAY] == 4.0
    assert dict(_series(trends, "participants_per_meeting").points)[TODAY - timedelta(days=1)] is None


def test_trends_need_the_analytics_permission(make_user):
    agent = make_user("agent@example.org", roles=[Role.SUPPORT_AGENT])
    with pytest.raises(PermissionDenied):
        usage_trends(actor=agent)


def test_trends_page_renders_svg_without_inline_style_or_script(client, people, make_user):
    _hit(people["in"], timezone.now().date(), "p")
    auditor = make_user("auditor@example.org", roles=[Role.AUDITOR])
    client.force_login(auditor)
    response = client.get("/telemetry/trends/?period=day&days=14")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 4
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)
    assert "telemetry/telemetry.css" in html
    assert client.get("/telemetry/trends/?period=week&days=abc").status_code == 200


def test_trends_csv_download(client, people, admin):
    _hit(people["in"], timezone.now().date(), "q")
    client.force_login(admin)
    response = client.get("/telemetry/trends.csv?period=day&days=7")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["day", "active_users", "new_accounts"]
    assert len(rows) == 1 + 7
    assert rows[-1][1] == "1.0"


def test_trends_pages_refuse_members(member_client):
    assert member_client.get("/telemetry/trends/").status_code == 403
    assert member_client.get("/telemetry/trends.csv").status_code == 403
