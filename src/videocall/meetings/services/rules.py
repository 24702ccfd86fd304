"""Limits and permission rules every meeting write applies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from videocall.accounts.selectors import email_verified
from videocall.core.errors import (
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from videocall.core.permissions import Perm, has_perm
from videocall.meetings.errors import MeetingsError
from videocall.meetings.models import (
    Meeting,
)

TITLE_MAX = 200


DESCRIPTION_MAX = 5000


GUEST_NAME_MAX = 80


MAX_DURATION = timedelta(hours=24)


MAX_INVITATIONS = 200


MAX_PAST = timedelta(days=1)


MAX_AHEAD = timedelta(days=5 * 365)


def _require_creator(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not has_perm(actor, Perm.MEETING_CREATE):
        raise PermissionDenied()
    if not email_verified(actor):
        raise PermissionDenied(
            _("Please verify your email address before creating meetings."),
            code=MeetingsError.EMAIL_UNVERIFIED,
        )


def _require_host(actor: Any, meeting: Meeting, *, owner_only: bool = False) -> None:
    """Hosts manage a meeting; anyone else gets 404 (IDOR rule: never confirm the meeting exists)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    allowed = meeting.owner_id == actor.pk if owner_only else meeting.is_host(actor)
    if not allowed and not has_perm(actor, Perm.MEETINGS_MANAGE_ALL):
        raise NotFound()
