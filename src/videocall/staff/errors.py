"""The staff console's error codes (its services raise them; the console shows their messages)."""

from __future__ import annotations

from videocall.core.errors import ProblemCode


class StaffError(ProblemCode):
    OWN_ACCOUNT = "own_account"  # staff cannot deactivate or re-role themselves
    DELETED_ACCOUNT = "deleted_account"
    CATEGORY = "category"  # unknown data category on an incident
    REASON = "reason"  # the decision on notifying users needs its reason
    DECISION_PENDING = "decision_pending"  # decide on notifying users before closing an incident
    FIELD = "field"  # unknown incident field
