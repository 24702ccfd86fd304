"""News mailings end to end: written and sent from the staff console by an administrator, emailed in
batches to exactly the people who agreed to news by email and keep the news switch on, each with the
one-click unsubscribe of the news topic, never twice to the same person."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.notifications.conftest import bodies
from videocall.audit.models import AuditEvent
from videocall.core.errors import Conflict, PermissionDenied
from videocall.core.permissions import Role
from videocall.notifications.models import NewsMailing, NotificationPreference, TaskOnce
from videocall.notifications.news import news_save, news_send
from videocall.notifications.selectors import news_recipients
from videocall.notifications.tasks import news_deliver
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set, policy_draft_save, policy_publish

pytestmark = pytest.mark.django_db

CONSOLE = "/console/notifications/newsmailing/"


def _subscriber(make_user: Any, email: str, *, consent: bool = True, switch: bool | None = True) -> Any:
    user = make_user(email)
    if consent:
        consent_set(
            actor=user, user=user, purpose=ConsentPurpose.MARKETING_EMAIL, granted=True, channel="settings"
        )
    if switch is not None:
        NotificationPreference.objects.create(user=user, topic="news", by_email=switch)
    return user


@pytest.fixture
def admin_client(make_user: Any) -> tuple[Client, Any]:
    admin = make_user("admin@staff.example.org", roles=[Role.ADMINISTRATOR])
    client = Client()
    client.force_login(admin)
    return client, admin


def _draft(admin: Any, subject: str = "New: breakout rooms", body: str = "Try **them**.") -> NewsMailing:
    return news_save(actor=admin, mailing=NewsMailing(subject=subject, body=body))


def _send(admin: Any, mailing: NewsMailing, capture: Any) -> NewsMailing:
    with capture(execute=True):
        return news_send(actor=admin, mailing=mailing)


def _unsubscribe_url(message: Any) -> str:
    header = re.sub(r"\s+", " ", str(message["List-Unsubscribe"])).strip()
    match = re.match(r"<https://videocall\.example(/notifications/unsubscribe/[^/>]+/)>, <mailto:", header)
    assert match, header
    return match.group(1)


def test_console_write_preview_confirm_and_send_reaches_exactly_the_subscribers(
    smtp, make_user, admin_client, django_capture_on_commit_callbacks
):
    client, admin = admin_client
    reader = _subscriber(make_user, "reader@example.org")
    no_consent = _subscriber(make_user, "noconsent@example.org", consent=False)
    switch_off = _subscriber(make_user, "switchoff@example.org", switch=False)
    by_consent = _subscriber(make_user, "default@example.org", switch=None)  # the consent alone suffices
    deleted = _subscriber(make_user, "deleted@example.org")
    deleted.is_deleted = True
    deleted.save(update_fields=["is_deleted"])
    inactive = _subscriber(make_user, "inactive@example.org")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    must_reconsent = _subscriber(make_user, "reconsent@example.org")
    officer = make_user("officer@example.org", roles=[Role.PRIVACY_OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(
            actor=officer,
            version=policy_draft_save(
                actor=officer,
                text="## 1. Intro",
                summary="News now include tips.",
                effective_at=timezone.now(),
                reconsent_purposes=["marketing_email"],
            ),
        )
    for again in (reader, by_consent):
        consent_set(
            actor=again, user=again, purpose=ConsentPurpose.MARKETING_EMAIL, granted=True, channel="settings"
        )  # they agreed again under the new version; must_reconsent did not
    smtp.messages.clear()

    # write
    added = client.post(
        f"{CONSOLE}add/",
        {"subject": "New: breakout rooms", "body": "Try **them**.\n\n<script>alert(1)</script>"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    mailing = NewsMailing.objects.get()
    assert mailing.created_by == admin and mailing.sent_at is None
    # preview: the rendered body and how many people it would reach
    page = client.get(f"{CONSOLE}{mailing.pk}/change/").content.decode()
    assert "<strong>them</strong>" in page and "<script>alert" not in page
    assert "it would reach 2 people" in page
    # confirmation
    confirm = client.get(f"{CONSOLE}{mailing.pk}/send/").content.decode()
    assert "2 people will get this email now" in confirm
    assert smtp.messages == []  # nothing sent before the confirmation is answered
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{CONSOLE}{mailing.pk}/send/")
    assert sent.status_code == 302

    mailing.refresh_from_db()
    assert mailing.sent_at is not None and mailing.recipients == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted([reader.email, by_consent.email])
    [message] = smtp.to(reader.email)
    assert message["Subject"] == "New: breakout rooms"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = bodies(message)
    token = _unsubscribe_url(message).rsplit("/", 2)[1]
    assert token not in text and token not in html  # the one-click token is only in the header (S18)
    assert "Unsubscribe button" in text
    assert "Try **them**." in text and "<strong>them</strong>" in html
    assert "<script>" not in html and "Unsubscribe button" in html
    for nobody in (no_consent, switch_off, deleted, inactive, must_reconsent):
        assert smtp.to(nobody.email) == []
    event = AuditEvent.objects.get(action="notification.news_sent")
    assert event.actor_id == admin.pk and event.metadata == {"recipients": 2}


def test_unsubscribe_link_stops_the_next_mailing(
    smtp, client, make_user, admin_client, django_capture_on_commit_callbacks
):
    _client, admin = admin_client
    reader = _subscriber(make_user, "reader@example.org")
    _send(admin, _draft(admin), django_capture_on_commit_callbacks)
    [message] = smtp.to(reader.email)
    url = _unsubscribe_url(message)
    assert client.get(url).status_code == 200  # a link scanner's GET changes nothing
    assert news_recipients().filter(pk=reader.pk).exists()
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not news_recipients().filter(pk=reader.pk).exists()
    _send(admin, _draft(admin, subject="Second"), django_capture_on_commit_callbacks)
    assert len(smtp.to(reader.email)) == 1


def test_a_redelivered_task_sends_nobody_twice_and_a_mailing_is_sent_once(
    smtp, settings, make_user, admin_client, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_NEWS_BATCH = 2  # three readers: two batches, the second queued by the first
    _client, admin = admin_client
    readers = [_subscriber(make_user, f"reader{n}@example.org") for n in range(3)]
    mailing = _send(admin, _draft(admin), django_capture_on_commit_callbacks)
    assert sorted(str(m["To"]) for m in smtp.messages) == sorted(r.email for r in readers)
    assert TaskOnce.objects.filter(key__startswith=f"news:{mailing.pk}:").count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        news_deliver.apply(args=[mailing.pk])  # the broker hands the task out again
        news_deliver.apply(args=[mailing.pk, readers[1].pk])
    assert len(smtp.messages) == 3
    with pytest.raises(Conflict):
        news_send(actor=admin, mailing=mailing)
    assert AuditEvent.objects.filter(action="notification.news_sent").count() == 1


def test_a_sent_mailing_is_read_only(admin_client, django_capture_on_commit_callbacks):
    client, admin = admin_client
    mailing = _send(admin, _draft(admin), django_capture_on_commit_callbacks)
    page = client.get(f"{CONSOLE}{mailing.pk}/change/").content.decode()
    assert 'name="subject"' not in page and "Send…" not in page
    client.post(f"{CONSOLE}{mailing.pk}/change/", {"subject": "Changed", "body": "Changed"})
    client.post(f"{CONSOLE}{mailing.pk}/delete/", {"post": "yes"})
    mailing.refresh_from_db()
    assert mailing.subject == "New: breakout rooms"
    with pytest.raises(Conflict):
        news_save(actor=admin, mailing=NewsMailing.objects.get(pk=mailing.pk))
    assert client.get(f"{CONSOLE}{mailing.pk}/send/").status_code == 302  # back to the read-only page


@pytest.mark.parametrize(
    "role", [Role.MEMBER, Role.SUPPORT_AGENT, Role.PRIVACY_OFFICER, Role.AUDITOR], ids=lambda r: r.value
)
def test_only_administrators_send_news(role, make_user, admin_client, smtp):
    _client, admin = admin_client
    mailing = _draft(admin)
    _subscriber(make_user, "reader@example.org")
    user = make_user(f"{role.value}@example.org", roles=[role])
    client = Client()
    client.force_login(user)
    for url in (CONSOLE, f"{CONSOLE}add/", f"{CONSOLE}{mailing.pk}/change/", f"{CONSOLE}{mailing.pk}/send/"):
        assert client.get(url).status_code in (302, 403, 404), url
    assert client.post(f"{CONSOLE}{mailing.pk}/send/").status_code in (302, 403, 404)
    with pytest.raises(PermissionDenied):
        news_send(actor=user, mailing=mailing)
    mailing.refresh_from_db()
    assert mailing.sent_at is None and smtp.messages == []
    assert not AuditEvent.objects.filter(action="notification.news_sent").exists()
