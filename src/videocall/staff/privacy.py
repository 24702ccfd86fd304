from typing import Any

from videocall.core.datamap import (
    Category,
    Erasure,
    FieldDecl,
    LegalBasis,
    Purpose,
    data_map,
    register_eraser,
)
from videocall.staff.models import Incident, RevealRecord

data_map.declare(
    Incident,
    personal={},
    not_personal={
        "id": "row id",
        "title": "encrypted; describes the incident, not a person (console help text says so)",
        "description": "encrypted; systems and data categories, not named people",
        "aware_at": "time the controller became aware",
        "severity": "code",
        "affected_categories": "data category codes",
        "affected_count": "count",
        "authority_notified_at": "time",
        "authority_reference": "the authority's case number",
        "users_decision": "code",
        "users_decision_at": "time",
        "users_decision_reason": "encrypted; reasoning about risk, not about a person",
        "users_notified_at": "time",
        "status": "code",
        "created_by": "staff account reference (pseudonymous id)",
        "created_at": "time",
        "updated_at": "time",
    },
)

data_map.declare(
    RevealRecord,
    personal={
        "reason": FieldDecl(
            Category.ACTIVITY,
            (Purpose.SECURITY, Purpose.LEGAL),
            LegalBasis.LEGAL_OBLIGATION,
            "audit_log",
            exported=False,
            erasure=Erasure.ANONYMISE,
            note="why a staff member looked at masked personal data (accountability, Art. 5(2)/32); the "
            "record stays for the audit-log period; erasing the staff account blanks the reason and cuts the link",
        ),
        "created_at": FieldDecl(
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            LegalBasis.LEGAL_OBLIGATION,
            "audit_log",
            exported=False,
            erasure=Erasure.ANONYMISE,
        ),
    },
    not_personal={
        "id": "row id",
        "actor": "staff account reference",
        "subject_type": "model label",
        "subject_id": "numeric reference",
        "field": "field name",
    },
    owner_path="actor",
)


@register_eraser("staff", order=500)
def erase(*, user: Any, holds: Any) -> dict[str, int]:
    """Reveal records stay as facts (who looked at which field of which row, when) without the erased
    staff member's link or words; incidents stay (Art. 33(5)) without their creator's link."""
    reveals = RevealRecord.objects.filter(actor=user).update(actor=None, reason="")
    incidents = Incident.objects.filter(created_by=user).update(created_by=None)
    return {"reveal_records": reveals, "incidents": incidents}
