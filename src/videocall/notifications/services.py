"""Sending notices: templated email (HTML + text), in-app alerts and push. Called by every app's services.

Template contract (docs/notifications.md): a message is ``notifications/email/<name>_subject.txt``,
``<name>.txt`` and optionally ``<name>.html`` in any app's templates folder. They are fragments: this
module wraps each in the shared layout ``notifications/email/base.txt`` / ``base.html``. Mail is
rendered in the recipient's language and queued on commit as a task.

Every notice has a ``kind`` declared in :mod:`videocall.notifications.topics`. An always-sent kind
(security, the answers to the user's own requests, legal notices) ignores preferences. A kind under a
topic is emailed only when the recipient's preference for that topic allows email (and the topic's
consent, if it names one, is given), is pushed only when the preference allows push, and its email
carries RFC 8058 one-click ``List-Unsubscribe`` headers for that topic.
"""

from __future__ import annotations

import html as html_lib
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.crypto import blind_index
from videocall.core.errors import NotFound, ValidationFailed
from videocall.core.ports import Attachment  # (filename, content, mimetype)
from videocall.notifications.models import Notification, NotificationPreference
from videocall.notifications.push import configured_providers
from videocall.notifications.selectors import preference_for
from videocall.notifications.tasks import deliver_email, deliver_push
from videocall.notifications.topics import TOPICS, Topic, topic_for
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import has_consent
from videocall.privacy.services import consent_set

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "videocall.notifications.unsubscribe"


# --- Rendering ------------------------------------------------------------------------------------


def _render_optional(name: str, ctx: dict[str, Any]) -> str | None:
    try:
        return render_to_string(name, ctx)
    except TemplateDoesNotExist:
        return None


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str | None]:
    """Render ``template`` and wrap it in the shared layout: (subject, text, html)."""
    ctx = {
        "site_name": settings.VIDEOCALL_SITE_NAME,
        "site_url": settings.SITE_URL,
        "privacy_contact": settings.VIDEOCALL_PRIVACY_CONTACT,
        "support_contact": settings.VIDEOCALL_SUPPORT_CONTACT,
        **context,
    }
    subject_raw = render_to_string(f"notifications/email/{template}_subject.txt", ctx)
    subject = " ".join(html_lib.unescape(subject_raw).split())
    text_body = render_to_string(f"notifications/email/{template}.txt", ctx).strip("\n")
    html_body = _render_optional(f"notifications/email/{template}.html", ctx)
    if html_body is None:
        html_body = linebreaks(urlize(escape(text_body)))
    layout = {**ctx, "subject": subject}
    text = render_to_string("notifications/email/base.txt", {**layout, "content": text_body})
    html = render_to_string("notifications/email/base.html", {**layout, "content": mark_safe(html_body)})  # noqa: S308 - rendered by our templates with autoescape
    return subject, text, html


# --- Consent and preferences ----------------------------------------------------------------------


def _preference_holder(user: Any) -> Any:
    """The account whose preferences govern mail to an address: an active, not deleted user, else None."""
    if user is None or getattr(user, "is_deleted", False) or not getattr(user, "is_active", True):
        return None
    return user


def _wants_email(holder: Any, topic: Topic) -> bool:
    """Whether an email of ``topic`` may go to ``holder`` (``None``: nobody's preferences to ask)."""

    if holder is None:
        return topic.consent is None  # a consent nobody gave is no consent
    if topic.consent is not None and not has_consent(holder, topic.consent):
        return False
    return preference_for(holder, topic)[0]


def unsubscribe_token(*, user: Any, topic: str) -> str:
    return signing.dumps({"u": user.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[Any, Topic]:
    """The user and topic a signed unsubscribe token names; NotFound when it is not valid."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=int(data["u"]), is_deleted=False)
        topic = TOPICS[str(data["t"])]
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        raise NotFound("This unsubscribe link is not valid.") from None
    if not topic.available:
        raise NotFound("This unsubscribe link is not valid.")
    return user, topic


def unsubscribe_url(*, user: Any, topic: str) -> str:
    """The absolute one-click unsubscribe URL for ``topic`` (signed token; GET confirms, POST acts)."""
    return settings.SITE_URL + reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user=user, topic=topic)}
    )


def unsubscribe_headers(*, user: Any, topic: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: an https one-click URL (signed token) and a mailto address."""
    url = unsubscribe_url(user=user, topic=topic)
    mailto = f"mailto:{settings.NOTIFICATIONS_UNSUBSCRIBE_MAILTO}?subject=unsubscribe"
    return {"List-Unsubscribe": f"<{url}>, <{mailto}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- Email ----------------------------------------------------------------------------------------


def _user_for_address(address: str) -> Any:
    return User.objects.filter(email_index=blind_index(address)).first()


def _language_for(user: Any, context: dict[str, Any]) -> str:
    language = context.get("language") or (getattr(user, "language", "") if user is not None else "")
    codes = {code for code, _label in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def email_send(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Render now (so the context is not sent to the queue), send after commit via a task.

    ``kind`` (declared in :mod:`~videocall.notifications.topics`) decides whether preferences apply.
    An always-sent kind goes. A kind under a topic goes to a user only when their preference for the
    topic allows email (and the topic's consent is given), with List-Unsubscribe headers for that
    topic; to an address that is no (active) user it goes unless the topic needs a consent.
    """

    topic = topic_for(kind)
    user = context.get("user")
    if user is None or not getattr(user, "pk", None):
        user = _user_for_address(to)
    holder = _preference_holder(user)
    all_headers = {"Auto-Submitted": "auto-generated", **(headers or {})}
    if topic is not None:
        if not _wants_email(holder, topic):
            return
        if holder is not None:
            all_headers.update(unsubscribe_headers(user=holder, topic=topic.key))
    # The footer says why the message came: a preference (with a link to change it), or "cannot be
    # switched off" when no preference governs it (always-sent kinds, and mail to someone who is no user).
    transactional = topic is None or holder is None
    with translation.override(_language_for(user, context)):
        subject, text, html = render_email(
            template, {"transactional": transactional, "topic": topic, **context}
        )
    key = uuid.uuid4().hex
    domain = str(settings.DEFAULT_FROM_EMAIL).rsplit("@", 1)[-1].strip("> ") or "localhost"
    all_headers.setdefault("Message-ID", f"<{key}@{domain}>")
    payload = {
        "key": key,
        "to": to,
        "subject": subject,
        "text": text,
        "html": html,
        "headers": all_headers,
        "attachments": [(name, content.decode("latin-1"), mime) for name, content, mime in attachments],
    }
    transaction.on_commit(lambda: deliver_email.delay(payload))


# --- In-app alerts and push -----------------------------------------------------------------------


def alert_create(*, user: Any, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)


def push_configured() -> bool:
    return bool(configured_providers())


def _queue_push(user: Any, notification: Notification, topic: Topic | None) -> None:
    """Queue a push of ``notification`` when push is configured and consented to, and, for a notice
    under a topic, the user's preference for that topic allows push."""

    if not push_configured() or not has_consent(user, ConsentPurpose.PUSH_NOTIFICATIONS):
        return
    if topic is not None and not (topic.push and preference_for(user, topic)[1]):
        return

    notification_id = notification.pk
    transaction.on_commit(lambda: deliver_push.delay(notification_id))


def notify(
    *,
    user: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email_template: str | None = None,
    context: dict[str, Any] | None = None,
    attachments: Sequence[Attachment] = (),
) -> Notification:
    """In-app alert, plus (when ``email_template`` is given) an email to the user's address, plus a
    push to the user's devices when push is configured and consented to. For a ``kind`` under a topic,
    email and push each need the user's preference for that topic (in-app is always on)."""
    topic = topic_for(kind)  # an undeclared kind fails here, before anything is written
    notification = alert_create(user=user, kind=kind, title=title, body=body, url=url)
    if email_template and user.email and not getattr(user, "is_deleted", False):
        email_send(
            to=user.email,
            kind=kind,
            template=email_template,
            context={"user": user, "kind": kind, "title": title, "body": body, "url": url, **(context or {})},
            attachments=attachments,
        )
    if not getattr(user, "is_deleted", False):
        _queue_push(user, notification, topic)
    return notification


# --- Inbox writes ---------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user=actor).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=actor, action=AuditAction.NOTIFICATION_READ, subject=notification)
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.NOTIFICATION_READ_ALL, metadata={"count": count})
    return count


@transaction.atomic
def preferences_set(*, actor: Any, user: Any, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store (by_email, by_push) per topic key. Unknown topics, and topics not available yet, are refused."""
    unknown = sorted(key for key in choices if key not in TOPICS or not TOPICS[key].available)
    if unknown:
        raise ValidationFailed("Unknown notification topic.", fields={"topic": [", ".join(unknown)]})
    now = timezone.now()
    for key, (by_email, by_push) in choices.items():
        by_push = by_push and TOPICS[key].push  # an email-only topic (news) is never pushed
        NotificationPreference.objects.update_or_create(
            user=user, topic=key, defaults={"by_email": by_email, "by_push": by_push, "updated_at": now}
        )
    audit_record(
        actor=actor,
        action=AuditAction.NOTIFICATION_PREFERENCES_SET,
        subject=user,
        metadata={"topics": sorted(choices)},
    )


@transaction.atomic
def unsubscribe(*, actor: Any, token: str) -> tuple[Any, Topic]:
    """One-click unsubscribe from a signed link: email off for the topic the message was about, and,
    when that topic needs a consent (news by email), the consent withdrawn in the ledger.

    ``actor`` is the request's user, usually anonymous (a mail client's POST); the token's holder is
    recorded as the one who withdrew, as the link was sent to their address only.
    """

    user, topic = unsubscribe_read(token)
    _email, push = preference_for(user, topic)
    NotificationPreference.objects.update_or_create(
        user=user,
        topic=topic.key,
        defaults={"by_email": False, "by_push": push, "updated_at": timezone.now()},
    )
    if topic.consent is not None:
        consent_set(actor=user, user=user, purpose=topic.consent, granted=False, channel="email")
    audit_record(
        actor=user, action=AuditAction.NOTIFICATION_UNSUBSCRIBED, subject=user, metadata={"topic": topic.key}
    )
    return user, topic
