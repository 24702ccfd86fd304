"""Erasure (Art. 17): one transaction revokes every session and token and runs every registered eraser."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.datamap import erasers
from videocall.core.errors import Conflict
from videocall.core.ports import notifier
from videocall.privacy.errors import PrivacyError
from videocall.privacy.models import LegalHold

REASONS = {"self_service", "privacy_request", "under_age", "unverified_signup", "staff"}


def active_holds(user: Any) -> list[str]:
    """Category names kept for ``user`` by every legal hold not yet released."""
    categories: set[str] = set()
    for hold in LegalHold.objects.filter(user=user, released_at__isnull=True):
        categories.update(hold.category_list)
    return sorted(categories)


@transaction.atomic
def account_erase(*, actor: Any, user: Any, reason: str, notify_user: bool = True) -> dict[str, int]:
    """Erase ``user``: every registered eraser runs (the accounts eraser last), legal holds respected.

    The confirmation email is rendered now and sent to the address before it is erased; the audit
    event records counts and the reason code only.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown erasure reason {reason!r}")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        raise Conflict(_("This account is already deleted."), code=PrivacyError.ALREADY_DELETED)
    holds = active_holds(user)
    if notify_user and user.email:
        notifier().email_send(
            to=user.email,
            kind="privacy.account_erased",
            template="privacy_account_erased",
            context={"held": bool(holds), "under_age": reason == "under_age"},
        )
    totals: dict[str, int] = {}
    for name, eraser in erasers():
        for key, count in (eraser(user=user, holds=holds) or {}).items():
            totals[f"{name}.{key}"] = int(count)
    audit_record(
        actor=actor,
        action=AuditAction.PRIVACY_ACCOUNT_ERASED,
        subject=("accounts.user", user.pk),
        metadata={
            "reason": reason,
            "holds": len(holds),
            "rows": sum(totals.values()),
            "erasers": sorted({key.split(".", 1)[0] for key in totals}),
            "at": timezone.now().isoformat(timespec="seconds"),
        },
    )
    return totals
