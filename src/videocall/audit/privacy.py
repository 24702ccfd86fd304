from videocall.audit.models import AuditEvent, ChainCheck
from videocall.core.datamap import data_map

data_map.declare(
    AuditEvent,
    personal={},
    not_personal={
        "id": "row id",
        "created_at": "time of the event",
        "actor_id": "pseudonymous numeric reference; the account itself is erased or anonymised",
        "actor_kind": "user, system, anonymous or integration name",
        "action": "event code",
        "subject_type": "model label",
        "subject_id": "numeric reference",
        "metadata": "identifiers, codes and counts only (audit_record contract)",
        "ip_country": "country code, not an IP address",
        "prev_hash": "chain link",
        "hash": "chain hash",
    },
)

data_map.declare(
    ChainCheck,
    personal={},
    not_personal={
        "id": "row id",
        "checked_at": "time",
        "ok": "result",
        "checked": "count",
        "broken_at": "audit event id",
        "reason": "fixed text from the verifier",
    },
)
