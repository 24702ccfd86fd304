"""Legal holds and the under-age rule."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.datamap import Category
from videocall.core.errors import Conflict, ValidationFailed
from videocall.core.permissions import Perm, require_perm
from videocall.privacy.erasure import account_erase
from videocall.privacy.errors import PrivacyError
from videocall.privacy.models import (
    LegalHold,
)


@transaction.atomic
def legal_hold_set(*, actor: Any, user: Any, categories: list[str], reason: str, review_at: Any) -> LegalHold:
    require_perm(actor, Perm.PRIVACY_LEGAL_HOLDS)
    known = {c.value for c in Category}
    unknown = [c for c in categories if c not in known]
    if unknown or not categories:
        raise ValidationFailed(_("Name at least one known data category."), fields={"categories": unknown})
    if not reason.strip():
        raise ValidationFailed(_("A legal hold needs a reason."), fields={"reason": [_("Required.")]})
    hold = LegalHold.objects.create(
        user=user,
        categories=",".join(sorted(set(categories))),
        reason=reason,
        review_at=review_at,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PRIVACY_LEGAL_HOLD_SET,
        subject=hold,
        metadata={"categories": sorted(set(categories))},
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor: Any, hold: LegalHold) -> LegalHold:
    require_perm(actor, Perm.PRIVACY_LEGAL_HOLDS)
    hold.released_at = timezone.now()
    hold.save(update_fields=["released_at"])
    audit_record(actor=actor, action=AuditAction.PRIVACY_LEGAL_HOLD_RELEASED, subject=hold)
    return hold


@transaction.atomic
def user_flag_child(*, actor: Any, user: Any) -> dict[str, int]:
    """An account reported as a child's (R4, COPPA): erased like a deletion."""
    require_perm(actor, Perm.PRIVACY_FLAG_CHILD)
    if user.pk == actor.pk:
        raise Conflict(_("You cannot flag your own account."), code=PrivacyError.SELF_FLAG)
    audit_record(
        actor=actor, action=AuditAction.PRIVACY_FLAGGED_UNDER_AGE, subject=("accounts.user", user.pk)
    )
    return account_erase(actor=actor, user=user, reason="under_age")
