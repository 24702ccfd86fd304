"""Consent choices and the restriction of processing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import PermissionDenied, ValidationFailed
from videocall.core.permissions import Perm, has_perm
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.errors import PrivacyError
from videocall.privacy.models import (
    ConsentRecord,
)
from videocall.privacy.selectors import policy_current_number


def _current_number() -> int | None:
    return policy_current_number()


@transaction.atomic
def consent_set(
    *,
    actor: Any,
    user: Any | None,
    purpose: ConsentPurpose,
    granted: bool,
    channel: str,
    visitor_id: str = "",
    policy_version: int | None = None,
) -> ConsentRecord:
    if channel not in ConsentRecord.Channel.values:
        raise ValidationFailed(_("Unknown consent channel."), code=PrivacyError.INVALID_CHANNEL)
    record = ConsentRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        visitor_id=visitor_id,
        purpose=purpose.value,
        granted=granted,
        channel=channel,
        policy_version=policy_version if policy_version is not None else _current_number(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONSENT_GRANTED if granted else AuditAction.CONSENT_WITHDRAWN,
        subject=record,
        metadata={"purpose": purpose.value, "channel": channel},
    )
    return record


@transaction.atomic
def consents_set_many(
    *, actor: Any, user: Any | None, choices: dict[ConsentPurpose, bool], channel: str, visitor_id: str = ""
) -> list[ConsentRecord]:
    """The banner's "Accept all" / "Reject all" / "Save choices": one ledger row per purpose."""
    return [
        consent_set(
            actor=actor, user=user, purpose=purpose, granted=granted, channel=channel, visitor_id=visitor_id
        )
        for purpose, granted in choices.items()
    ]


@transaction.atomic
def restriction_set(*, actor: Any, user: Any, restricted: bool) -> Any:
    """Art. 18 (by the user or the privacy officer): data kept, excluded from analytics and marketing."""
    if actor is None or (actor.pk != user.pk and not _can(actor, Perm.PRIVACY_REQUESTS_MANAGE)):
        raise PermissionDenied()
    user.is_restricted = restricted
    user.save(update_fields=["is_restricted"])
    audit_record(
        actor=actor,
        action=AuditAction.PRIVACY_RESTRICTED if restricted else AuditAction.PRIVACY_RESTRICTION_LIFTED,
        subject=("accounts.user", user.pk),
    )
    return user


def _can(actor: Any, perm: Perm) -> bool:
    return has_perm(actor, perm)
