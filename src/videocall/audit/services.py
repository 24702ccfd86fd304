"""Writing and verifying the audit chain. Every write service calls :func:`audit_record`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from videocall.audit.actions import AuditAction
from videocall.audit.models import GENESIS, AuditEvent

_CHAIN_LOCK_KEY = 0x56494443  # "VIDC": PostgreSQL advisory lock that serialises chain appends


def _subject_ref(subject: Any) -> tuple[str, str]:
    if subject is None:
        return "", ""
    if isinstance(subject, Model):
        return subject._meta.label_lower, str(subject.pk)
    if isinstance(subject, tuple) and len(subject) == 2:
        return str(subject[0]), str(subject[1])
    raise TypeError("subject must be a model instance, a (type, id) pair or None")


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    subject: Any = None,
    metadata: dict[str, Any] | None = None,
    ip_country: str = "",
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    ``actor`` is a user, ``None`` for the system, or a string naming a non-user actor (e.g. "jitsi").
    ``action`` is a member of :class:`~videocall.audit.actions.AuditAction` (a plain string is refused).
    ``metadata`` must hold identifiers, codes and counts only, never personal data.
    """
    if not isinstance(action, AuditAction):
        raise TypeError(f"action must be an AuditAction member, not {action!r}")
    if actor is None:
        actor_id, actor_kind = None, "system"
    elif isinstance(actor, str):
        actor_id, actor_kind = None, actor[:16]
    elif getattr(actor, "is_authenticated", False):
        actor_id, actor_kind = actor.pk, "user"
    else:
        actor_id, actor_kind = None, "anonymous"
    subject_type, subject_id = _subject_ref(subject)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            actor_id=actor_id,
            actor_kind=actor_kind,
            action=action.value,
            subject_type=subject_type,
            subject_id=subject_id,
            metadata=metadata or {},
            ip_country=(ip_country or "")[:2].upper(),
            prev_hash=last or GENESIS,
        )
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify(*, batch_size: int = 2000) -> ChainReport:
    """Walk the chain in id order; report the first row whose content or link does not match."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            return ChainReport(checked=checked, broken_at=None)
        for row in rows:
            if row.prev_hash != expected_prev:
                return ChainReport(
                    checked, row.pk, "link to the previous row does not match (a row was deleted or edited)"
                )
            if row.compute_hash() != row.hash:
                return ChainReport(checked, row.pk, "content does not match its hash (the row was edited)")
            expected_prev = row.hash
            checked += 1
            last_id = row.pk
