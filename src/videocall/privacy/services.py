"""Privacy writes. Every function is one transaction and records its audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from videocall.audit.services import audit_record
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.models import ConsentRecord


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
    record = ConsentRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        visitor_id=visitor_id,
        purpose=purpose.value,
        granted=granted,
        channel=channel,
        policy_version=policy_version,
    )
    audit_record(
        actor=actor,
        action="consent.granted" if granted else "consent.withdrawn",
        subject=record,
        metadata={"purpose": purpose.value, "channel": channel},
    )
    return record
