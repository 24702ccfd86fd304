"""/api/v1/meetings/: meetings, invitations, joining (for the mobile SDK) and Jitsi's event feeds."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from videocall.core import metrics
from videocall.core.api import api_auth
from videocall.core.errors import ApplicationError, NotAuthenticated, PayloadTooLarge, ValidationFailed
from videocall.core.schemas import ProblemOut
from videocall.meetings import selectors, services
from videocall.meetings.errors import MeetingsError
from videocall.meetings.ingest import jitsi_event_ingest
from videocall.meetings.jitsi import webhooks
from videocall.meetings.models import Meeting
from videocall.meetings.schemas import (
    AttendanceOut,
    CohostAddIn,
    HistoryOut,
    InvitationCreateIn,
    InvitationListOut,
    InvitationMineOut,
    InvitationOut,
    InvitationRespondIn,
    MeetingCreateIn,
    MeetingJoinIn,
    MeetingJoinOut,
    MeetingListOut,
    MeetingOut,
    MeetingUpdateIn,
    WebhookAcceptedOut,
)

router = Router(tags=["meetings"])

ERRORS: dict[int, Any] = {
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    410: ProblemOut,
    422: ProblemOut,
}


def _user(request: HttpRequest) -> Any:
    return request.auth if getattr(request.auth, "is_authenticated", False) else request.user  # type: ignore[attr-defined]


def meeting_out(meeting: Meeting, user: Any) -> dict[str, Any]:
    from django.urls import reverse

    schedule = services.schedule_values(meeting)
    schedule["instant"] = schedule.pop("is_instant")  # the API's name for it
    return {
        "id": meeting.pk,
        "room_name": meeting.room_name,
        **schedule,
        "cancelled": meeting.is_cancelled,
        "is_host": meeting.is_host(user),
        "owner": {"id": meeting.owner.pk, "name": meeting.owner.display_name},
        "co_hosts": [{"id": u.pk, "name": u.display_name} for u in meeting.co_hosts.all()],
        "join_url": settings.SITE_URL + reverse("meetings:join", kwargs={"meeting_id": meeting.pk}),
    }


def _schedule(payload: MeetingCreateIn) -> services.Schedule:
    return services.Schedule(
        **{
            name: getattr(payload, "instant" if name == "is_instant" else name)
            for name in services.SCHEDULE_FIELDS
        }
    )


@router.get("/", auth=api_auth, response={200: MeetingListOut, **ERRORS})
def meeting_list(request: HttpRequest) -> Any:
    user = _user(request)
    return {
        "upcoming": [meeting_out(m, user) for m in selectors.meetings_upcoming(user=user)],
        "past": [meeting_out(m, user) for m in selectors.meetings_past(user=user)],
    }


@router.post("/", auth=api_auth, response={201: MeetingOut, **ERRORS})
def meeting_create(request: HttpRequest, payload: MeetingCreateIn) -> Any:
    user = _user(request)
    meeting = services.meeting_create(actor=user, schedule=_schedule(payload))
    return Status(201, meeting_out(meeting, user))


@router.get("/history", auth=api_auth, response={200: HistoryOut, **ERRORS})
def meeting_history(request: HttpRequest) -> Any:
    entries = selectors.history(user=_user(request))
    return {
        "items": [
            {
                "meeting_id": e.meeting.pk,
                "title": e.meeting.title,
                "duration_seconds": e.duration_seconds,
                "sessions": e.sessions,
                "participants": e.participants,
            }
            for e in entries
        ]
    }


@router.post(
    "/invitations/{uuid:invitation_id}/respond", auth=api_auth, response={200: InvitationMineOut, **ERRORS}
)
def invitation_respond(request: HttpRequest, invitation_id: uuid.UUID, payload: InvitationRespondIn) -> Any:
    user = _user(request)
    invitation = selectors.invitation_for_user(user=user, invitation_id=invitation_id)
    invitation = services.invitation_respond(actor=user, invitation=invitation, accept=payload.accept)
    return {"id": invitation.pk, "meeting_id": invitation.meeting_id, "status": invitation.status}


@router.get("/{uuid:meeting_id}", auth=api_auth, response={200: MeetingOut, **ERRORS})
def meeting_detail(request: HttpRequest, meeting_id: uuid.UUID) -> Any:
    user = _user(request)
    return meeting_out(selectors.meeting_get(user=user, meeting_id=meeting_id), user)


@router.put("/{uuid:meeting_id}", auth=api_auth, response={200: MeetingOut, **ERRORS})
def meeting_update(request: HttpRequest, meeting_id: uuid.UUID, payload: MeetingUpdateIn) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id)
    meeting = services.meeting_update(actor=user, meeting=meeting, schedule=_schedule(payload))
    return meeting_out(meeting, user)


@router.post("/{uuid:meeting_id}/cancel", auth=api_auth, response={200: MeetingOut, **ERRORS})
def meeting_cancel(request: HttpRequest, meeting_id: uuid.UUID) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id, owner_only=True)
    return meeting_out(services.meeting_cancel(actor=user, meeting=meeting), user)


@router.post("/{uuid:meeting_id}/co-hosts", auth=api_auth, response={200: MeetingOut, **ERRORS})
def cohost_add(request: HttpRequest, meeting_id: uuid.UUID, payload: CohostAddIn) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id, owner_only=True)
    services.meeting_cohost_add(actor=user, meeting=meeting, email=payload.email)
    return meeting_out(meeting, user)


@router.delete(
    "/{uuid:meeting_id}/co-hosts/{int:user_id}", auth=api_auth, response={200: MeetingOut, **ERRORS}
)
def cohost_remove(request: HttpRequest, meeting_id: uuid.UUID, user_id: int) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id, owner_only=True)
    services.meeting_cohost_remove(actor=user, meeting=meeting, user_id=user_id)
    return meeting_out(meeting, user)


def invitation_out(invitation: Any) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "status": invitation.status,
        "member": invitation.user_id is not None,
        "sent_count": invitation.sent_count,
    }


@router.get("/{uuid:meeting_id}/invitations", auth=api_auth, response={200: InvitationListOut, **ERRORS})
def invitation_list(request: HttpRequest, meeting_id: uuid.UUID) -> Any:
    meeting = selectors.meeting_for_host(user=_user(request), meeting_id=meeting_id)
    return {"items": [invitation_out(i) for i in meeting.invitations.all()]}


@router.post("/{uuid:meeting_id}/invitations", auth=api_auth, response={201: InvitationOut, **ERRORS})
def invitation_create(request: HttpRequest, meeting_id: uuid.UUID, payload: InvitationCreateIn) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id)
    return Status(
        201, invitation_out(services.invitation_create(actor=user, meeting=meeting, email=payload.email))
    )


@router.post(
    "/{uuid:meeting_id}/invitations/{uuid:invitation_id}/resend",
    auth=api_auth,
    response={200: InvitationOut, **ERRORS},
)
def invitation_resend(request: HttpRequest, meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id)
    invitation = selectors.invitation_for_host(user=user, meeting=meeting, invitation_id=invitation_id)
    return invitation_out(services.invitation_resend(actor=user, invitation=invitation))


@router.delete(
    "/{uuid:meeting_id}/invitations/{uuid:invitation_id}",
    auth=api_auth,
    response={200: InvitationOut, **ERRORS},
)
def invitation_revoke(request: HttpRequest, meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> Any:
    user = _user(request)
    meeting = selectors.meeting_for_host(user=user, meeting_id=meeting_id)
    invitation = selectors.invitation_for_host(user=user, meeting=meeting, invitation_id=invitation_id)
    return invitation_out(services.invitation_revoke(actor=user, invitation=invitation))


def _optional_user(request: HttpRequest) -> Any:
    """Join accepts a signed-in caller (session or app token) or, when allowed, a named guest."""
    for auth in api_auth:
        try:
            result = auth(request)  # type: ignore[operator]
        except Exception:
            result = None
        if result:
            return result if getattr(result, "is_authenticated", False) else request.user
    return None


@router.post("/{uuid:meeting_id}/join", response={200: MeetingJoinOut, **ERRORS})
def meeting_join(request: HttpRequest, meeting_id: uuid.UUID, payload: MeetingJoinIn) -> Any:
    meeting = selectors.meeting_for_join(meeting_id)
    user = _optional_user(request)
    ticket = services.meeting_join(actor=user, meeting=meeting, guest_name=payload.display_name)
    return {
        "mode": ticket.mode,
        "server_url": ticket.server_url,
        "domain": ticket.domain,
        "room": ticket.room,
        "room_name": ticket.client_room,
        "token": ticket.token,
        "display_name": ticket.display_name,
        "email": ticket.email,
        "avatar_url": ticket.avatar_url,
        "moderator": ticket.moderator,
        "lobby_enabled": ticket.lobby_enabled,
        "mute_on_join": ticket.mute_on_join,
        "expires_in": ticket.expires_in,
    }


@router.get("/{uuid:meeting_id}/attendance", auth=api_auth, response={200: AttendanceOut, **ERRORS})
def meeting_attendance(request: HttpRequest, meeting_id: uuid.UUID) -> Any:
    user = _user(request)
    meeting = selectors.meeting_get(user=user, meeting_id=meeting_id)
    return {
        "sessions": [
            {
                "started_at": s.started_at,
                "ended_at": s.ended_at,
                "duration_seconds": s.duration_seconds,
                "participant_count": s.participant_count,
            }
            for s in selectors.sessions_of(meeting)
        ],
        "participants": [row.__dict__ for row in selectors.attendance(user=user, meeting=meeting)],
        "contents": [
            {
                "kind": c.kind,
                "link": c.link,
                "expires_at": c.expires_at,
                "expired": c.is_expired,
                "duration_seconds": c.duration_seconds,
            }
            for c in selectors.contents_of(user=user, meeting=meeting)
        ],
    }


# --- Jitsi's event feeds (authenticated by signature / shared secret, not by a user) ----------------

WEBHOOK_PROBLEMS: dict[int, Any] = {401: ProblemOut, 413: ProblemOut, 422: ProblemOut}
MAX_WEBHOOK_BYTES = 256 * 1024


def _ingest(event: webhooks.NormalisedEvent) -> Any:
    result = jitsi_event_ingest(event=event)
    return {"status": "duplicate" if result.duplicate else "stored", "event_id": result.event_id}


def _rejected(source: str, reason: str) -> None:
    """Count a refused delivery (the "Webhook errors" alert's metric); reasons are a fixed vocabulary."""
    metrics.WEBHOOK_ERRORS.labels(source=source, reason=reason).inc()


def _read_body(request: HttpRequest, source: str) -> bytes:

    body = request.body
    if len(body) > MAX_WEBHOOK_BYTES:
        _rejected(source, "too_large")
        raise PayloadTooLarge()
    return body


@router.post(
    "/webhooks/jaas", response={200: WebhookAcceptedOut, **WEBHOOK_PROBLEMS}, url_name="webhook_jaas"
)
def webhook_jaas(request: HttpRequest) -> Any:
    """JaaS webhooks: ``X-Jaas-Signature: t=<unix s>,v1=<base64 HMAC-SHA256>`` over ``t.raw_body``."""
    body = _read_body(request, "jaas")
    try:
        webhooks.verify_jaas_signature(
            secret=settings.JITSI_WEBHOOK_SECRET or "",
            header=request.headers.get(webhooks.JAAS_SIGNATURE_HEADER),
            raw_body=body,
            now=time.time(),
            tolerance_seconds=settings.JITSI_WEBHOOK_TOLERANCE_SECONDS,
        )
    except webhooks.SignatureError:
        _rejected("jaas", "signature")
        raise NotAuthenticated(
            "The signature is missing, wrong or too old.", code=MeetingsError.BAD_SIGNATURE
        ) from None
    try:
        event = webhooks.normalise_jaas(body)
    except webhooks.PayloadError as exc:
        _rejected("jaas", "payload")
        raise ValidationFailed(str(exc), code=MeetingsError.BAD_EVENT) from None
    return _ingest(event)


@router.post(
    "/webhooks/jitsi/events/{kind_group}/{kind_action}",
    response={200: WebhookAcceptedOut, **WEBHOOK_PROBLEMS, 404: ProblemOut},
    url_name="webhook_event_sync",
)
def webhook_event_sync(request: HttpRequest, kind_group: str, kind_action: str) -> Any:
    """The self-hosted ``event_sync`` Prosody module (``Authorization: Bearer <JITSI_WEBHOOK_SECRET>``)."""
    body = _read_body(request, "event_sync")
    try:
        webhooks.verify_bearer(
            secret=settings.JITSI_WEBHOOK_SECRET or "", header=request.headers.get("Authorization")
        )
    except webhooks.SignatureError:
        _rejected("event_sync", "signature")
        raise NotAuthenticated(
            "The shared secret is missing or wrong.", code=MeetingsError.BAD_SECRET
        ) from None
    kind = f"{kind_group}/{kind_action}"
    if kind not in webhooks.EVENT_SYNC_KINDS:
        _rejected("event_sync", "unknown_kind")
        raise ApplicationError("Unknown event kind.", status=404, code=MeetingsError.UNKNOWN_EVENT_KIND)
    try:
        event = webhooks.normalise_event_sync(kind, body)
    except webhooks.PayloadError as exc:
        _rejected("event_sync", "payload")
        raise ValidationFailed(str(exc), code=MeetingsError.BAD_EVENT) from None
    return _ingest(event)
