"""Every write about meetings: keyword-only, one transaction, an audit event, side effects on commit.

A package by sub-domain; every public name is re-exported here so callers keep importing
``videocall.meetings.services``."""

from .invitations import (
    invitation_create,
    invitation_resend,
    invitation_respond,
    invitation_respond_by_token,
    invitation_revoke,
)
from .joining import (
    JoinTicket,
    meeting_join,
)
from .meetings import (
    meeting_cancel,
    meeting_cohost_add,
    meeting_cohost_remove,
    meeting_create,
    meeting_update,
)
from .rules import (
    DESCRIPTION_MAX,
    GUEST_NAME_MAX,
    MAX_AHEAD,
    MAX_DURATION,
    MAX_INVITATIONS,
    MAX_PAST,
    TITLE_MAX,
)
from .schedule import (
    SCHEDULE_FIELDS,
    Schedule,
    schedule_values,
)

__all__ = [
    "DESCRIPTION_MAX",
    "GUEST_NAME_MAX",
    "MAX_AHEAD",
    "MAX_DURATION",
    "MAX_INVITATIONS",
    "MAX_PAST",
    "SCHEDULE_FIELDS",
    "TITLE_MAX",
    "JoinTicket",
    "Schedule",
    "invitation_create",
    "invitation_resend",
    "invitation_respond",
    "invitation_respond_by_token",
    "invitation_revoke",
    "meeting_cancel",
    "meeting_cohost_add",
    "meeting_cohost_remove",
    "meeting_create",
    "meeting_join",
    "meeting_update",
    "schedule_values",
]
