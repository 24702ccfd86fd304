"""The meetings app's problem+json codes (listed in the OpenAPI document's ``ProblemCode``)."""

from __future__ import annotations

from videocall.core.errors import ProblemCode


class MeetingsError(ProblemCode):
    EMAIL_UNVERIFIED = "email_unverified"  # creating meetings needs a verified email address
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_ENDED = "meeting_ended"
    MEETING_FULL = "meeting_full"
    MEETING_CLOSED = "meeting_closed"  # over or cancelled: no more invitations
    ALREADY_INVITED = "already_invited"
    TOO_MANY_INVITATIONS = "too_many_invitations"
    INVITATION_REVOKED = "invitation_revoked"
    COHOST_NOT_INVITEE = "cohost_not_invitee"
    BAD_SIGNATURE = "bad_signature"  # Jitsi (JaaS) webhook signature missing, wrong or too old
    BAD_SECRET = "bad_secret"  # noqa: S105 (an error code, not a secret): self-hosted Jitsi event-sync shared secret missing or wrong
    BAD_EVENT = "bad_event"  # a webhook payload that cannot be read
    UNKNOWN_EVENT_KIND = "unknown_event_kind"
