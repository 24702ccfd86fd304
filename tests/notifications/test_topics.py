"""Every switch on the preferences page changes what is sent, through the app that really sends it; what
cannot be switched off is labelled so; topics nothing sends are not offered; every kind is declared."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from videocall.accounts.models import Device
from videocall.core.permissions import Role
from videocall.notifications.models import Notification
from videocall.notifications.services import notify
from videocall.notifications.topics import ALWAYS_SENT, TOPICS, available_topics, topic_for
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "videocall"


# --- the real senders, one per topic --------------------------------------------------------------


def _meeting_invitation(member: Any, make_user: Callable[..., Any]) -> str:
    from videocall.meetings.services import Schedule, invitation_create, meeting_create

    host = make_user(first_name="Hal")
    start = timezone.now() + timedelta(hours=2)
    meeting = meeting_create(
        actor=host,
        schedule=Schedule(title="Weekly sync", starts_at=start, ends_at=start + timedelta(hours=1)),
    )
    invitation_create(actor=host, meeting=meeting, email=member.email)
    return "meetings.meeting_invitation"


def _support_reply(member: Any, make_user: Callable[..., Any]) -> str:
    from django.core.cache import cache

    from videocall.support.services import ticket_open, ticket_reply_by_staff

    cache.clear()  # ticket rate limits
    agent = make_user(roles=[Role.SUPPORT_AGENT])
    ticket = ticket_open(actor=member, category="account", subject="Cannot sign in", message="It fails.")
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="Try the reset link again.")
    return "support_reply"


def _news(member: Any, make_user: Callable[..., Any]) -> str:
    from videocall.notifications.models import NewsMailing
    from videocall.notifications.news import NEWS_KIND, news_send

    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.MARKETING_EMAIL, granted=True, channel="web"
    )
    admin = make_user(roles=[Role.ADMINISTRATOR])
    mailing = NewsMailing.objects.create(subject="New: breakout rooms", body="Try *them*.", created_by=admin)
    news_send(actor=admin, mailing=mailing)
    return NEWS_KIND


SENDERS: dict[str, Callable[[Any, Callable[..., Any]], str]] = {
    "meeting_invitation": _meeting_invitation,
    "support_update": _support_reply,
    "news": _news,
}


def _channels() -> list[tuple[str, str]]:
    """(topic, channel) for every switch on the page: email-only topics (news) have no push switch."""
    return [
        (key, channel)
        for key in sorted(SENDERS)
        for channel in ("email", "push")
        if channel == "email" or TOPICS[key].push
    ]


def test_every_topic_on_the_page_is_tested_with_its_real_sender():
    assert set(SENDERS) == {topic.key for topic in available_topics()}


@pytest.mark.parametrize(("topic", "channel"), _channels())
def test_turning_a_topic_off_stops_that_channel_for_that_topic(
    topic, channel, member, member_client, make_user, smtp, push_servers, django_capture_on_commit_callbacks
):
    fcm, _apns, *_ = push_servers
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.PUSH_NOTIFICATIONS, granted=True, channel="app"
    )
    Device.objects.create(user=member, platform="android", push_token="fcm-token-1", push_provider="fcm")

    def send() -> tuple[int, int]:
        with django_capture_on_commit_callbacks(execute=True):
            kind = SENDERS[topic](member, make_user)
        assert topic_for(kind) is TOPICS[topic]
        pushes = [r for r in fcm.recorded.requests if r["path"] != "/token"]
        return len(smtp.to(member.email)), len(pushes)

    # Every box ticked on the preferences page, then exactly one unticked.
    form = {f"{t.key}__{c}": "on" for t in available_topics() for c in ("email", "push")}
    assert member_client.post("/notifications/preferences/", form).status_code == 302
    push = 1 if TOPICS[topic].push else 0  # an email-only topic is never pushed
    assert send() == (1, push)
    del form[f"{topic}__{channel}"]
    assert member_client.post("/notifications/preferences/", form).status_code == 302
    emails, pushes = send()
    assert (emails, pushes) == ((1, 2 * push) if channel == "email" else (2, 1))
    # in-app is always on; news is an email only (no alert in the inbox)
    assert Notification.objects.filter(user=member).count() == (0 if topic == "news" else 2)


def test_always_sent_notices_ignore_every_preference(
    member, member_client, smtp, push_servers, django_capture_on_commit_callbacks
):
    fcm, _apns, *_ = push_servers
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.PUSH_NOTIFICATIONS, granted=True, channel="app"
    )
    Device.objects.create(user=member, platform="android", push_token="fcm-token-1", push_provider="fcm")
    assert member_client.post("/notifications/preferences/", {}).status_code == 302  # every box unticked
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="security.password_changed",
            title="Your password was changed",
            email_template="generic",
        )
    assert len(smtp.to(member.email)) == 1
    assert len([r for r in fcm.recorded.requests if r["path"] != "/token"]) == 1


def test_page_lists_what_is_always_sent_and_offers_no_switch_for_it(member_client):
    page = member_client.get("/notifications/preferences/").content.decode()
    assert "Always sent" in page
    for group in ALWAYS_SENT.values():
        assert str(group.label) in page
        assert f'name="{group.key}__email"' not in page
    refused = member_client.put(
        "/api/v1/notifications/preferences",
        {"items": [{"topic": "security", "by_email": False, "by_push": False}]},
        content_type="application/json",
    )
    assert refused.status_code == 422


@pytest.mark.parametrize("key", ["meeting_reminder"])
def test_a_topic_nothing_sends_is_not_on_the_page_nor_accepted_by_the_api(member_client, key):
    assert not TOPICS[key].available
    page = member_client.get("/notifications/preferences/").content.decode()
    assert f'name="{key}__email"' not in page and str(TOPICS[key].label) not in page
    api = member_client.get("/api/v1/notifications/preferences").json()
    assert key not in {item["topic"] for item in api["items"]}
    refused = member_client.put(
        "/api/v1/notifications/preferences",
        {"items": [{"topic": key, "by_email": True, "by_push": True}]},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "validation_failed"
    form = member_client.post("/notifications/preferences/", {f"{key}__email": "on"})
    assert form.status_code == 302
    from videocall.notifications.models import NotificationPreference

    assert not NotificationPreference.objects.filter(topic=key).exists()


def test_push_consent_promises_only_what_is_sent():
    from videocall.privacy.consents import CONSENT_PURPOSES

    text = str(CONSENT_PURPOSES[ConsentPurpose.PUSH_NOTIFICATIONS].description).lower()
    assert "reminder" not in text


# --- every kind the code sends is declared ------------------------------------------------------


def _sent_kinds() -> list[tuple[str, str, bool]]:
    """(file, kind or its constant prefix, is_prefix) of every notify/email_send call in src/."""
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in {"notify", "email_send"}:
                continue
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            where = str(path.relative_to(SRC))
            if isinstance(kind, ast.Constant):
                found.append((where, str(kind.value), False))
            elif isinstance(kind, ast.JoinedStr) and isinstance(kind.values[0], ast.Constant):
                found.append((where, str(kind.values[0].value), True))
            elif kind is not None and where != "notifications/services.py":  # notify passes its own kind on
                raise AssertionError(f"{where}: a kind the catalogue test cannot read")
    return found


def test_every_kind_sent_anywhere_is_declared_in_the_catalogue():
    declared = {k for entry in (*TOPICS.values(), *ALWAYS_SENT.values()) for k in entry.kinds}
    sent = _sent_kinds()
    assert len(sent) >= 15, sent  # the scan found the call sites
    for where, kind, is_prefix in sent:
        if is_prefix:
            assert kind in declared or any(k.startswith(kind) for k in declared), (where, kind)
        else:
            topic_for(kind)  # raises for an undeclared kind, or one of a topic that is not offered


def test_every_email_template_is_named_by_the_code_that_sends_it():
    """A message template no code path renders is dead weight (four were, once): each is named by a
    string literal in some module of src/ (base.* is the shared layout)."""
    names = {
        path.name.removesuffix("_subject.txt")
        for path in SRC.glob("*/templates/notifications/email/*_subject.txt")
    }
    literals = {
        node.value
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert len(names) >= 14, names
    assert sorted(names - literals) == []
    bodies = {p.name.split(".")[0] for p in SRC.glob("*/templates/notifications/email/*.*")}
    assert sorted(bodies - {f"{n}_subject" for n in names} - names - {"base"}) == []
