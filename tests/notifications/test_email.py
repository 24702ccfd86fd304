"""Emails go through a real SMTP server on loopback; headers, bodies, preferences and one-click unsubscribe
checked."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signing

from tests.notifications.conftest import bodies
from videocall.core.signals import new_device_signed_in
from videocall.notifications.models import Notification, NotificationPreference
from videocall.notifications.services import email_send, notify, render_email, unsubscribe_token
from videocall.notifications.topics import TopicUnavailable, UnknownKind
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import ConsentRecord
from videocall.privacy.services import consent_set

pytestmark = pytest.mark.django_db

TOKENISH = re.compile(r"[A-Za-z0-9_\-]{20,}:[A-Za-z0-9_\-:]{10,}")  # a django.core.signing value


def _grant(user: Any, purpose: ConsentPurpose) -> None:
    consent_set(actor=user, user=user, purpose=purpose, granted=True, channel="settings")


def _assert_transactional(message: Any) -> None:
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"]
    text, html = bodies(message)
    assert "it cannot be switched off" in text  # the shared layout wrapped the message
    assert "it cannot be switched off" in html
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert not TOKENISH.search(text) and not TOKENISH.search(html)


def _assert_one_click(message: Any, topic: str) -> str:
    """The message carries RFC 2369/8058 headers naming ``topic``; returns the token (only in the header)."""
    header = re.sub(r"\s+", " ", str(message["List-Unsubscribe"])).strip()
    match = re.fullmatch(
        r"<(https://videocall\.example/notifications/unsubscribe/([^/>]+)/)>, <mailto:([^>]+)>", header
    )
    assert match, header
    assert match.group(3).startswith("support@videocall.network?subject=unsubscribe")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = match.group(2)
    assert signing.loads(token, salt="videocall.notifications.unsubscribe")["t"] == topic
    text, html = bodies(message)
    assert token not in text and token not in html  # the token is only in the header
    assert not TOKENISH.search(text) and not TOKENISH.search(html)
    # unsubscribing from the body needs no token: it links to the preferences page
    assert "https://videocall.example/notifications/preferences/" in text
    assert "it cannot be switched off" not in text
    return token


def test_generic_notice(smtp, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="security.mfa_reset",
            title="Room & board",
            body="Line one\nLine two",
            url="/meetings/",
            email_template="generic",
        )
    [message] = smtp.to(member.email)
    assert message["Subject"] == "Room & board"
    _assert_transactional(message)
    text, html = bodies(message)
    assert "Hello Mia," in text and "Line one" in text and "https://videocall.example/meetings/" in text
    assert 'href="https://videocall.example/meetings/"' in html
    assert Notification.objects.filter(user=member, kind="security.mfa_reset").count() == 1


def test_new_device_signal_sends_alert_and_email(smtp, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_device_signed_in.send(sender=None, user=member, device_label="Firefox on Linux", country="DE")
    [message] = smtp.to(member.email)
    assert message["Subject"] == "New sign-in to your account"
    _assert_transactional(message)
    text, _html = bodies(message)
    assert "Firefox on Linux" in text and "DE" in text
    alert = Notification.objects.get(user=member)
    assert alert.kind == "security.new_device" and "Firefox on Linux" in alert.body


def test_account_erased_to_a_bare_address(smtp, django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="gone@example.org",
            kind="privacy.account_erased",
            template="privacy_account_erased",
            context={"held": True, "under_age": False},
        )
    [message] = smtp.to("gone@example.org")
    assert message["Subject"] == "Your account has been deleted"
    _assert_transactional(message)
    text, _html = bodies(message)
    assert "A legal obligation" in text and "backup" in text


def test_export_ready(smtp, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="privacy.export_ready",
            title="Your data export is ready",
            url="/privacy/exports/",
            email_template="privacy_export_ready",
            context={"expires_at": datetime(2030, 1, 31, tzinfo=UTC), "link": "https://videocall.example/x/"},
        )
    [message] = smtp.to(member.email)
    assert message["Subject"] == "Your data export is ready"
    _assert_transactional(message)
    text, html = bodies(message)
    assert "https://videocall.example/x/" in text and "2030-01-31" in text
    assert 'href="https://videocall.example/x/"' in html  # the text was made into HTML, links clickable


def test_policy_changed(smtp, member, django_capture_on_commit_callbacks):
    version = SimpleNamespace(
        number=3, effective_at=datetime(2027, 1, 1, tzinfo=UTC), summary="We added a processor."
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="privacy.policy_changed",
            title="Our privacy policy changes on 2027-01-01",
            email_template="privacy_policy_changed",
            context={"version": version, "reconsent": ["Usage analytics"]},
        )
    [message] = smtp.to(member.email)
    assert message["Subject"] == "Our privacy policy changes (version 3)"
    _assert_transactional(message)
    text, _html = bodies(message)
    assert "2027-01-01" in text and "We added a processor." in text and "Usage analytics" in text


def test_topic_mail_follows_the_preference_and_carries_one_click_unsubscribe(
    smtp, member, django_capture_on_commit_callbacks
):
    def send() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            notify(user=member, kind="support_reply", title="New reply to #4", email_template="generic")

    send()  # support replies default to email
    [message] = smtp.to(member.email)
    _assert_one_click(message, "support_update")
    text, _html = bodies(message)
    assert "“Support replies”" in text  # the footer names the topic the preference governs
    NotificationPreference.objects.create(user=member, topic="support_update", by_email=False, by_push=True)
    send()
    assert len(smtp.to(member.email)) == 1  # switched off: in-app only
    assert Notification.objects.filter(user=member, kind="support_reply").count() == 2


def test_news_needs_consent_and_its_unsubscribe_withdraws_it(
    smtp, client, member, django_capture_on_commit_callbacks
):
    def send() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                user=member,
                kind="news",
                title="New: breakout rooms",
                body="Try them.",
                email_template="generic",
            )

    send()  # no consent yet (privacy by default): in-app only
    assert smtp.to(member.email) == []
    _grant(member, ConsentPurpose.MARKETING_EMAIL)
    NotificationPreference.objects.create(user=member, topic="news", by_email=False)
    send()  # consent, but the news switch turned off: still in-app only
    assert smtp.to(member.email) == []
    NotificationPreference.objects.filter(user=member, topic="news").delete()
    send()  # consent and the topic's default (on): the email goes
    [message] = smtp.to(member.email)
    token = _assert_one_click(message, "news")
    assert Notification.objects.filter(user=member, kind="news").count() == 3
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    latest = ConsentRecord.objects.filter(user=member, purpose=ConsentPurpose.MARKETING_EMAIL).latest("id")
    assert latest.granted is False and latest.channel == "email"


def test_restricted_account_gets_no_news(smtp, member, django_capture_on_commit_callbacks):
    _grant(member, ConsentPurpose.MARKETING_EMAIL)
    NotificationPreference.objects.create(user=member, topic="news", by_email=True)
    member.is_restricted = True
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind="news", title="x", email_template="generic")
    assert smtp.to(member.email) == []


def test_topic_mail_to_someone_who_is_no_user(smtp, django_capture_on_commit_callbacks, db):
    """No preferences to ask: a topic's mail goes (an invitation), without List-Unsubscribe; a topic that
    needs a consent (news) never goes to an address nobody consented for."""
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="stranger@example.org", kind="news", template="generic", context={"title": "x"})
        email_send(
            to="guest@example.org",
            kind="meetings.meeting_invitation",
            template="generic",
            context={"title": "Invitation: Weekly sync"},
        )
    assert smtp.to("stranger@example.org") == []
    [message] = smtp.to("guest@example.org")
    _assert_transactional(message)


def test_undeclared_or_hidden_kinds_are_refused(member):
    with pytest.raises(UnknownKind):
        notify(user=member, kind="made_up", title="x")
    with pytest.raises(TopicUnavailable):
        notify(user=member, kind="meeting_reminder", title="x")
    with pytest.raises(UnknownKind):
        email_send(to="a@example.org", kind="made_up", template="generic", context={})
    assert not Notification.objects.exists()  # nothing half-written


def test_one_click_unsubscribe_post(client, member):
    NotificationPreference.objects.create(user=member, topic="support_update", by_email=True, by_push=True)
    token = unsubscribe_token(user=member, topic="support_update")
    url = f"/notifications/unsubscribe/{token}/"
    client.handler.enforce_csrf_checks = True
    # GET only shows a confirmation (link scanners must not unsubscribe anybody)
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert NotificationPreference.objects.get(user=member, topic="support_update").by_email is True
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click without cookies or CSRF token
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=member, topic="support_update")
    assert pref.by_email is False and pref.by_push is True
    assert not ConsentRecord.objects.filter(user=member).exists()  # support replies need no consent


@pytest.mark.parametrize("token", ["sample", "garbage:xyz", None, "hidden"])
def test_unsubscribe_with_a_bad_token(client, member, token):
    if token is None:
        token = signing.dumps({"u": member.pk, "t": "support_update"}, salt="another-salt")
    elif token == "hidden":  # a topic that is not offered (nothing sends it)
        token = unsubscribe_token(user=member, topic="meeting_reminder")
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert not ConsentRecord.objects.filter(user=member).exists()
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_render_email_wraps_in_the_layout_and_escapes(member):
    subject, text, html = render_email(
        "generic", {"user": member, "title": "<b>Hi</b>", "body": "<script>x</script>", "transactional": True}
    )
    assert subject == "<b>Hi</b>"
    assert "<script>x</script>" in text  # plain text is not HTML-escaped
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "VideoCall Network" in html and "VideoCall Network" in text
