"""Every email type this app owns goes through a real SMTP server on loopback; headers and bodies checked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import signing

from tests.notifications.conftest import bodies
from videocall.core.signals import new_device_signed_in
from videocall.notifications.models import Notification, NotificationPreference
from videocall.notifications.services import email_send, notify, render_email, unsubscribe_token
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


def test_generic_notice(smtp, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="generic",
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
    assert Notification.objects.filter(user=member, kind="generic").count() == 1


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


def test_account_deleted_to_a_bare_address(smtp, django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="gone@example.org", template="account_deleted", context={"held": True})
    [message] = smtp.to("gone@example.org")
    assert message["Subject"] == "Your account has been deleted"
    _assert_transactional(message)
    text, _html = bodies(message)
    assert "privacy@videocall.network" in text and "requires" in text


def test_export_ready(smtp, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="privacy.export_ready",
            title="Your data export is ready",
            url="/privacy/exports/",
            email_template="export_ready",
            context={"expires_days": 7},
        )
    [message] = smtp.to(member.email)
    _assert_transactional(message)
    text, html = bodies(message)
    assert "https://videocall.example/privacy/exports/" in text and "7 days" in text
    assert "Download your data" in html


def test_policy_changed(smtp, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=member,
            kind="privacy.policy_changed",
            title="Our privacy policy has changed",
            email_template="policy_changed",
            context={
                "effective_date": "2027-01-01",
                "summary": "We added a processor.",
                "asks_consent": True,
            },
        )
    [message] = smtp.to(member.email)
    assert message["Subject"] == "Our privacy policy has changed"
    _assert_transactional(message)
    text, _html = bodies(message)
    assert "2027-01-01" in text and "We added a processor." in text and "/privacy/" in text


def test_news_needs_consent_and_carries_one_click_unsubscribe(
    smtp, member, django_capture_on_commit_callbacks
):
    def send() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                user=member,
                kind="news",
                title="New: breakout rooms",
                body="Try them.",
                email_template="news",
                transactional=False,
            )

    send()  # no consent yet (privacy by default): in-app only
    assert smtp.to(member.email) == []
    _grant(member, ConsentPurpose.MARKETING_EMAIL)
    send()  # consent, but the news topic defaults to no email (R13): still in-app only
    assert smtp.to(member.email) == []
    NotificationPreference.objects.create(user=member, topic="news", by_email=True)
    send()
    [message] = smtp.to(member.email)
    assert Notification.objects.filter(user=member, kind="news").count() == 3
    header = re.sub(r"\s+", " ", str(message["List-Unsubscribe"])).strip()
    match = re.fullmatch(
        r"<(https://videocall\.example/notifications/unsubscribe/([^/>]+)/)>, <mailto:([^>]+)>", header
    )
    assert match, header
    assert match.group(3).startswith("support@videocall.network?subject=unsubscribe")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = match.group(2)
    text, html = bodies(message)
    assert token not in text and token not in html  # the token is only in the header
    assert not TOKENISH.search(text) and not TOKENISH.search(html)
    assert (
        "https://videocall.example/notifications/preferences/" in text
    )  # unsubscribing from the body needs no token
    assert "it cannot be switched off" not in text


def test_restricted_account_gets_no_news(smtp, member, django_capture_on_commit_callbacks):
    _grant(member, ConsentPurpose.MARKETING_EMAIL)
    NotificationPreference.objects.create(user=member, topic="news", by_email=True)
    member.is_restricted = True
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind="news", title="x", email_template="news", transactional=False)
    assert smtp.to(member.email) == []


def test_non_transactional_mail_to_a_stranger_is_not_sent(smtp, django_capture_on_commit_callbacks, db):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="stranger@example.org", template="news", context={"title": "x"}, transactional=False)
    assert smtp.to("stranger@example.org") == []


def test_one_click_unsubscribe_post(client, member):
    _grant(member, ConsentPurpose.MARKETING_EMAIL)
    NotificationPreference.objects.create(user=member, topic="news", by_email=True, by_push=True)
    token = unsubscribe_token(user=member, topic="news")
    url = f"/notifications/unsubscribe/{token}/"
    client.handler.enforce_csrf_checks = True
    # GET only shows a confirmation (link scanners must not unsubscribe anybody)
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert NotificationPreference.objects.get(user=member, topic="news").by_email is True
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click without cookies or CSRF token
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=member, topic="news")
    assert pref.by_email is False and pref.by_push is True
    latest = ConsentRecord.objects.filter(user=member, purpose=ConsentPurpose.MARKETING_EMAIL).latest("id")
    assert latest.granted is False and latest.channel == "email"


@pytest.mark.parametrize("token", ["sample", "garbage:xyz", None])
def test_unsubscribe_with_a_bad_token(client, member, token):
    if token is None:
        token = signing.dumps({"u": member.pk, "t": "news"}, salt="another-salt")
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert not ConsentRecord.objects.filter(user=member).exists()


def test_render_email_wraps_in_the_layout_and_escapes(member):
    subject, text, html = render_email(
        "generic", {"user": member, "title": "<b>Hi</b>", "body": "<script>x</script>", "transactional": True}
    )
    assert subject == "<b>Hi</b>"
    assert "<script>x</script>" in text  # plain text is not HTML-escaped
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "VideoCall Network" in html and "VideoCall Network" in text
