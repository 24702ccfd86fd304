"""Reactions to other domains' signals: support tickets about privacy become desk requests."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from videocall.core.signals import privacy_inquiry_received
from videocall.privacy.services import privacy_request_create


@receiver(privacy_inquiry_received, dispatch_uid="privacy.request_from_ticket")
def request_from_ticket(
    sender: Any, *, ticket_id: int, user: Any, email: str, subject: str, message: str, **_: Any
) -> None:
    privacy_request_create(
        actor="support",
        kind="question",
        message=f"{subject}\n\n{message}".strip(),
        user=user,
        email=email,
        channel="support",
        source_ticket_id=ticket_id,
    )
