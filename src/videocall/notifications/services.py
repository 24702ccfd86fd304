"""Sending notices: templated email (HTML + text) and in-app alerts. Called by every app's services.

Email templates live in ``notifications/email/<template>_subject.txt``, ``<template>.txt`` and
optionally ``<template>.html`` in any app's templates folder. Mail is queued on commit as a task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from videocall.notifications.models import Notification

Attachment = tuple[str, bytes, str]  # (filename, content, mimetype)


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str | None]:
    ctx = {"site_name": settings.VIDEOCALL_SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", ctx).split())
    text = render_to_string(f"notifications/email/{template}.txt", ctx)
    try:
        html: str | None = render_to_string(f"notifications/email/{template}.html", ctx)
    except TemplateDoesNotExist:
        html = None
    return subject, text, html


def email_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    transactional: bool = True,
    attachments: Sequence[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Render now (so the context is not sent to the queue), send after commit via a task."""
    from videocall.notifications.tasks import deliver_email

    subject, text, html = render_email(template, context)
    payload = {
        "to": to,
        "subject": subject,
        "text": text,
        "html": html,
        "headers": headers or {},
        "attachments": [(name, content.decode("latin-1"), mime) for name, content, mime in attachments],
        "transactional": transactional,
    }
    transaction.on_commit(lambda: deliver_email.delay(payload))


def alert_create(*, user: Any, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)


def notify(
    *,
    user: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email_template: str | None = None,
    context: dict[str, Any] | None = None,
    transactional: bool = True,
    attachments: Sequence[Attachment] = (),
) -> Notification:
    """In-app alert plus (when ``email_template`` is given) an email to the user's address."""
    notification = alert_create(user=user, kind=kind, title=title, body=body, url=url)
    if email_template and user.email and not getattr(user, "is_deleted", False):
        email_send(
            to=user.email,
            template=email_template,
            context={"user": user, "title": title, "body": body, "url": url, **(context or {})},
            transactional=transactional,
            attachments=attachments,
        )
    return notification
