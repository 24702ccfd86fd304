"""Website pages: thin views over the same selectors and services as the API."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from csp.constants import SELF
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocall.accounts.selectors import email_verified
from videocall.core.csvsafe import SafeWriter
from videocall.core.errors import ApplicationError, Gone, NotAuthenticated, NotFound
from videocall.core.pages import flash_error, form_errors
from videocall.core.permissions import Perm, has_perm, permission_required
from videocall.meetings import ics, selectors, services
from videocall.meetings.forms import CohostForm, GuestJoinForm, InviteForm, MeetingForm
from videocall.meetings.jitsi.tokens import JitsiConfig, JitsiConfigurationError
from videocall.meetings.models import Invitation, InvitationStatus, Meeting

SESSION_INVITATION = "meetings.invitation_token"
SESSION_GUEST = "meetings.guest_name.%s"
IFRAME_ALLOW = "camera; microphone; display-capture; autoplay; clipboard-write"


def _get(user: Any, meeting_id: uuid.UUID) -> Meeting:
    try:
        return selectors.meeting_get(user=user, meeting_id=meeting_id)
    except NotFound:
        raise Http404 from None


def _host(user: Any, meeting_id: uuid.UUID, *, owner_only: bool = False) -> Meeting:
    try:
        return selectors.meeting_for_host(user=user, meeting_id=meeting_id, owner_only=owner_only)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    invitations = Invitation.objects.filter(
        user=request.user,  # type: ignore[misc]
        status=InvitationStatus.PENDING,
        meeting__cancelled_at__isnull=True,
    ).select_related("meeting", "meeting__owner")
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": selectors.meetings_upcoming(user=request.user),
            "past": selectors.meetings_past(user=request.user, limit=50),
            "pending": [i for i in invitations if not i.meeting.is_over()],
            "can_create": has_perm(request.user, Perm.MEETING_CREATE),
            "verified": email_verified(request.user),
        },
    )


def _form_page(
    request: HttpRequest, form: MeetingForm, meeting: Meeting | None, status: int = 200
) -> HttpResponse:
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting}, status=status)


def _schedule_page(
    request: HttpRequest,
    meeting: Meeting | None,
    initial: dict[str, Any],
    save: Callable[[services.Schedule], Meeting],
    done: str,
) -> HttpResponse:
    """The meeting form, for creating (``meeting`` is None) and editing alike: shown on GET; on POST
    validated, saved with ``save`` (a service's errors land on the form) and the meeting shown."""
    if request.method == "GET":
        return _form_page(request, MeetingForm(initial=initial), meeting)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, meeting, status=422)
    try:
        saved = save(form.schedule())
    except ApplicationError as error:
        form_errors(form, error)
        return _form_page(request, form, meeting, status=error.status)
    messages.success(request, done)
    return redirect("meetings:detail", meeting_id=saved.pk)


@permission_required(Perm.MEETING_CREATE)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not email_verified(request.user):
        messages.error(request, _("Please verify your email address before creating meetings."))
        return redirect("meetings:list")
    return _schedule_page(
        request,
        None,
        {"timezone": getattr(request.user, "timezone", "") or "UTC"},
        lambda schedule: services.meeting_create(actor=request.user, schedule=schedule),
        _("Meeting created."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _host(request.user, meeting_id)
    return _schedule_page(
        request,
        meeting,
        MeetingForm.initial_for(meeting),
        lambda schedule: services.meeting_update(actor=request.user, meeting=meeting, schedule=schedule),
        _("Meeting updated."),
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _get(request.user, meeting_id)
    is_host = meeting.is_host(request.user)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "is_host": is_host,
            "is_owner": meeting.owner_id == request.user.pk,
            "invitations": list(meeting.invitations.select_related("user")) if is_host else [],
            "co_hosts": list(meeting.co_hosts.all()),
            "my_invitation": selectors.my_invitation(user=request.user, meeting=meeting),
            "invite_form": InviteForm(),
            "cohost_form": CohostForm(),
            "sessions": selectors.sessions_of(meeting),
            "contents": selectors.contents_of(user=request.user, meeting=meeting),
            "next": meeting.next_occurrence(),
            "over": meeting.is_over(),
        },
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _host(request.user, meeting_id, owner_only=True)
    services.meeting_cancel(actor=request.user, meeting=meeting)
    messages.success(request, _("Meeting cancelled; invitees were told."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def invitation_create(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _host(request.user, meeting_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    try:
        services.invitation_create(actor=request.user, meeting=meeting, email=form.cleaned_data["email"])
        messages.success(request, _("Invitation sent."))
    except ApplicationError as error:
        flash_error(request, error)
    return redirect("meetings:detail", meeting_id=meeting.pk)


def _host_invitation(request: HttpRequest, meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> Invitation:
    meeting = _host(request.user, meeting_id)
    try:
        return selectors.invitation_for_host(user=request.user, meeting=meeting, invitation_id=invitation_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def invitation_resend(request: HttpRequest, meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = _host_invitation(request, meeting_id, invitation_id)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
        messages.success(request, _("Invitation sent again; the previous link no longer works."))
    except ApplicationError as error:
        flash_error(request, error)
    return redirect("meetings:detail", meeting_id=meeting_id)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = _host_invitation(request, meeting_id, invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation revoked."))
    return redirect("meetings:detail", meeting_id=meeting_id)


@login_required
@require_POST
def invitation_respond(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _get(request.user, meeting_id)
    invitation = selectors.my_invitation(user=request.user, meeting=meeting)
    if invitation is None:
        raise Http404
    _save_answer(
        request,
        lambda accept: services.invitation_respond(actor=request.user, invitation=invitation, accept=accept),
    )
    return redirect("meetings:detail", meeting_id=meeting.pk)


def _save_answer(request: HttpRequest, respond: Callable[[bool], object]) -> None:
    """The invitee's accept or decline button, whichever way they reached the invitation."""
    try:
        respond(request.POST.get("answer") == "accept")
        messages.success(request, _("Thanks, your answer was saved."))
    except ApplicationError as error:
        flash_error(request, error)


@login_required
@require_POST
def cohost_add(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _host(request.user, meeting_id, owner_only=True)
    form = CohostForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cohost_add(actor=request.user, meeting=meeting, email=form.cleaned_data["email"])
            messages.success(request, _("Co-host added."))
        except ApplicationError as error:
            flash_error(request, error)
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
@require_POST
def cohost_remove(request: HttpRequest, meeting_id: uuid.UUID, user_id: int) -> HttpResponse:
    meeting = _host(request.user, meeting_id, owner_only=True)
    try:
        services.meeting_cohost_remove(actor=request.user, meeting=meeting, user_id=user_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Co-host removed."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


# --- Invitation links (guests) ---------------------------------------------------------------------


@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: keep the token in the session and drop it from the address bar and history."""
    request.session[SESSION_INVITATION] = token[:100]
    return redirect("meetings:invitation")


def _session_invitation(request: HttpRequest) -> Invitation | None:
    token = request.session.get(SESSION_INVITATION)
    if not token:
        return None
    try:
        return selectors.invitation_by_token(token)
    except NotFound:
        return None


def holds_invitation(request: HttpRequest | None) -> bool:
    """Whether this browser session opened a valid invitation link: what invite-only sign-up asks
    (registered with accounts in ``MeetingsConfig.ready``)."""
    if request is None or getattr(request, "session", None) is None:
        return False
    return _session_invitation(request) is not None


@require_http_methods(["GET", "POST"])
def invitation_landing(request: HttpRequest) -> HttpResponse:
    invitation = _session_invitation(request)
    if invitation is None:
        return render(request, "meetings/invitation_missing.html", status=404)
    if request.method == "POST":
        token = request.session.get(SESSION_INVITATION, "")
        _save_answer(
            request,
            lambda accept: services.invitation_respond_by_token(
                actor=request.user, token=token, accept=accept
            ),
        )
        return redirect("meetings:invitation")
    return render(
        request, "meetings/invitation.html", {"invitation": invitation, "meeting": invitation.meeting}
    )


# --- Joining: the meeting page ----------------------------------------------------------------------


def _closed(request: HttpRequest, meeting: Meeting, error: ApplicationError) -> HttpResponse:
    return render(
        request, "meetings/closed.html", {"meeting": meeting, "message": error.message}, status=error.status
    )


def _room_response(request: HttpRequest, meeting: Meeting, ticket: services.JoinTicket) -> HttpResponse:
    config = {
        "startWithAudioMuted": ticket.mute_on_join,
        "prejoinConfig": {"enabled": True},
        "disableDeepLinking": True,
    }
    response = render(
        request,
        "meetings/room.html",
        {
            "meeting": meeting,
            "ticket": ticket,
            "config_json": json.dumps(config),
            "iframe_allow": IFRAME_ALLOW,
        },
    )
    origin = JitsiConfig.from_settings().origin
    # django-csp's CSPMiddleware replaces these two directives of settings.CONTENT_SECURITY_POLICY: the
    # page loads external_api.js from, and frames, exactly the Jitsi origin (the default frame-src is
    # 'none', so the directives are replaced, not extended). The origin is per request, from settings.
    response._csp_replace = {"script-src": [SELF, origin], "frame-src": [SELF, origin]}  # type: ignore[attr-defined]
    response.headers["Permissions-Policy"] = (
        f'camera=(self "{origin}"), microphone=(self "{origin}"), display-capture=(self "{origin}"), '
        "geolocation=(), payment=(), usb=()"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def meeting_join(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    try:
        meeting = selectors.meeting_for_join(meeting_id)
    except NotFound:
        raise Http404 from None
    user = request.user if request.user.is_authenticated else None
    invitation = _session_invitation(request)
    if invitation is not None and invitation.meeting_id != meeting.pk:
        invitation = None
    guest_key = SESSION_GUEST % meeting.pk
    if user is None:
        if not selectors.can_join(None, meeting, invitation=invitation):
            return redirect_to_login(request.get_full_path())
        if request.method == "POST":
            form = GuestJoinForm(request.POST)
            if form.is_valid():
                request.session[guest_key] = " ".join(form.cleaned_data["display_name"].split())
                return redirect("meetings:join", meeting_id=meeting.pk)
            return render(request, "meetings/guest_join.html", {"meeting": meeting, "form": form}, status=422)
        if not request.session.get(guest_key):
            if meeting.is_cancelled or meeting.is_over():
                return _closed(request, meeting, Gone(_("This meeting is over or was cancelled.")))
            return render(request, "meetings/guest_join.html", {"meeting": meeting, "form": GuestJoinForm()})
    try:
        ticket = services.meeting_join(
            actor=user, meeting=meeting, guest_name=request.session.get(guest_key, ""), invitation=invitation
        )
    except NotAuthenticated:
        return redirect_to_login(request.get_full_path())
    except NotFound:
        raise Http404 from None
    except JitsiConfigurationError:
        return _closed(
            request,
            meeting,
            ApplicationError(_("Video meetings are not configured correctly yet."), status=503),
        )
    except ApplicationError as error:
        return _closed(request, meeting, error)
    return _room_response(request, meeting, ticket)


# --- Attendance, history, calendars -----------------------------------------------------------------


def _attendance_meeting(request: HttpRequest, meeting_id: uuid.UUID) -> Meeting:
    meeting = _get(request.user, meeting_id)
    took_part = meeting.participations.filter(user=request.user).exists()  # type: ignore[misc]
    if not (meeting.is_host(request.user) or took_part or has_perm(request.user, Perm.MEETINGS_MANAGE_ALL)):
        raise Http404
    return meeting


@login_required
@require_GET
def meeting_attendance(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _attendance_meeting(request, meeting_id)
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "rows": selectors.attendance(user=request.user, meeting=meeting),
            "sessions": selectors.sessions_of(meeting),
            "is_owner": meeting.owner_id == request.user.pk,
        },
    )


@login_required
@require_GET
def attendance_csv(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _host(request.user, meeting_id, owner_only=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{meeting.pk}.csv"'
    writer = SafeWriter(response)
    writer.writerow(
        ["session_started_at", "name", "guest", "moderator", "joined_at", "left_at", "duration_seconds"]
    )
    for row in selectors.attendance(user=request.user, meeting=meeting):
        writer.writerow(
            [
                row.session_started_at.isoformat(),
                row.name,
                "yes" if row.guest else "no",
                "yes" if row.moderator else "no",
                row.joined_at.isoformat(),
                row.left_at.isoformat() if row.left_at else "",
                "" if row.duration_seconds is None else row.duration_seconds,
            ]
        )
    return response


@login_required
@require_GET
def meeting_history(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/history.html", {"entries": selectors.history(user=request.user)})


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def meeting_ics_download(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _get(request.user, meeting_id)
    return _ics_response(ics.meeting_ics(meeting), f"meeting-{meeting.pk}.ics")


@login_required
@require_GET
def calendar_download(request: HttpRequest) -> HttpResponse:
    """All the user's upcoming meetings as one calendar file (a download, not a feed with a secret URL)."""
    return _ics_response(ics.calendar(selectors.meetings_upcoming(user=request.user)), "meetings.ics")
