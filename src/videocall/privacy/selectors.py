from __future__ import annotations

from typing import Any

from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import ConsentRecord


def has_consent(user: Any, purpose: ConsentPurpose) -> bool:
    """The user's current choice for ``purpose``; privacy by default: no record means no consent.

    A restricted account (GDPR Art. 18) counts as not consenting to analytics and marketing.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_restricted", False) and purpose in (
        ConsentPurpose.ANALYTICS,
        ConsentPurpose.MARKETING_EMAIL,
    ):
        return False
    latest = (
        ConsentRecord.objects.filter(user=user, purpose=purpose.value)
        .order_by("-id")
        .values_list("granted", flat=True)
        .first()
    )
    return bool(latest)
