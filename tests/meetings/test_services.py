"""Meeting lifecycle through the services: permission checks, audit events, mail with ICS, join rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.meetings import jwt_check
from videocall.audit.models import AuditEvent
from videocall.core.errors import (
    Conflict,
    Gone,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from videocall.meetings import selectors, services
from videocall.meetings.models import Access, InvitationStatus, Meeting
from videocall.meetings.services import Schedule

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_only_verified_members_create(make_user):
    unverified = make_user("new@example.org", verified=False)
    start = timezone.now() + timedelta(hours=2)
    with pytest.raises(PermissionDenied) as excinfo:
        services.meeting_create(
            actor=unverified,
            schedule=Schedule(title="x", starts_at=start, ends_at=start + timedelta(hours=1)),
        )
    assert excinfo.value.code == "email_unverified"
    # A verified second address is not enough: the primary one must be (accounts.selectors.email_verified).
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=unverified, email="other@example.org", verified=True, primary=False)
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=unverified, schedule=Schedule(title="x", is_instant=True))
    with pytest.raises(NotAuthenticated):
        services.meeting_create(actor=None, schedule=Schedule(title="x", is_instant=True))


def test_create_encrypts_and_audits(make_meeting, owner):
    meeting = make_meeting(title="Board meeting secret plans")
    assert meeting.owner == owner and meeting.room_name.startswith("vc-")
    assert "meetings.meeting_created" in _actions()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT title, description FROM meetings_meeting")
        title, description = cursor.fetchone()
    assert "Board" not in title and "Agenda" not in description


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"starts_at": None}, "starts_at"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"recurrence": "weekly"}, "recurrence_count"),
        ({"recurrence": "daily", "recurrence_count": 1}, "recurrence_count"),
        ({"max_participants": 1}, "max_participants"),
    ],
)
def test_validation_messages(make_meeting, options, field):
    with pytest.raises(ValidationFailed) as excinfo:
        make_meeting(**options)
    assert field in excinfo.value.fields


def test_recurrence_occurrences(make_meeting):
    start = timezone.now() + timedelta(days=1)
    weekly = make_meeting(
        starts_at=start, ends_at=start + timedelta(hours=1), recurrence="weekly", recurrence_count=4
    )
    assert len(weekly.occurrences()) == 4
    assert weekly.occurrences()[-1][0] == start + timedelta(weeks=3)
    daily = make_meeting(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        recurrence="daily",
        recurrence_until=(start + timedelta(days=2)).date(),
    )
    assert len(daily.occurrences()) == 3


def test_edit_and_cancel_notify_invitees_with_ics(
    make_meeting, owner, make_user, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    invitee = make_user("invitee@example.org", first_name="Ivy")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=owner, meeting=meeting, email="Invitee@Example.org")
        services.invitation_create(actor=owner, meeting=meeting, email="guest@elsewhere.example")
    assert len(mail.outbox) == 2
    sent = {m.to[0]: m for m in mail.outbox}
    ics_name, ics_body, ics_type = sent["guest@elsewhere.example"].attachments[0]
    assert ics_name == "invite.ics" and ics_type.startswith("text/calendar")
    text = ics_body.decode() if isinstance(ics_body, bytes) else ics_body
    assert "METHOD:REQUEST" in text and f"UID:{meeting.pk}@" in text and "SUMMARY:Weekly sync" in text
    assert "/meetings/invitation/" in sent["guest@elsewhere.example"].body
    assert meeting.invitations.get(email_index__isnull=False, user=invitee).status == InvitationStatus.PENDING
    with pytest.raises(Conflict):
        services.invitation_create(actor=owner, meeting=meeting, email="guest@elsewhere.example")

    mail.outbox.clear()
    later = meeting.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=owner,
            meeting=meeting,
            schedule=Schedule(
                title="Weekly sync",
                starts_at=later,
                ends_at=later + timedelta(hours=1),
                timezone="Europe/Berlin",
            ),
        )
    assert len(mail.outbox) == 2 and all("Updated" in m.subject for m in mail.outbox)
    assert meeting.sequence == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=owner, meeting=meeting)
    assert len(mail.outbox) == 2
    cancel_ics = mail.outbox[0].attachments[0][1]
    cancel_ics = cancel_ics.decode() if isinstance(cancel_ics, bytes) else cancel_ics
    assert "METHOD:CANCEL" in cancel_ics and "STATUS:CANCELLED" in cancel_ics
    assert {"meetings.meeting_created", "meetings.meeting_updated", "meetings.meeting_cancelled"} <= set(
        _actions()
    )
    with pytest.raises(Gone):
        services.meeting_join(actor=owner, meeting=meeting)


def test_invitation_tokens_are_stored_hashed_and_resend_rotates(
    make_meeting, owner, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(actor=owner, meeting=meeting, email="g@example.net")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/meetings/invitation/" in line)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash == selectors.hash_token(token) and token not in invitation.token_hash
    assert selectors.invitation_by_token(token) == invitation
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=owner, invitation=invitation)
    with pytest.raises(NotFound):
        selectors.invitation_by_token(token)
    services.invitation_revoke(actor=owner, invitation=invitation)
    assert invitation.token_hash is None


def test_cohosts_must_be_invited_members(make_meeting, owner, make_user, member):
    meeting = make_meeting()
    with pytest.raises(ValidationFailed):
        services.meeting_cohost_add(actor=owner, meeting=meeting, email=member.email)
    services.invitation_create(actor=owner, meeting=meeting, email=member.email)
    with pytest.raises(NotFound):  # only the owner manages co-hosts
        services.meeting_cohost_add(actor=member, meeting=meeting, email=member.email)
    services.meeting_cohost_add(actor=owner, meeting=meeting, email=member.email)
    assert meeting.is_host(member)
    services.meeting_cohost_remove(actor=owner, meeting=meeting, user_id=member.pk)
    assert not meeting.is_host(member)
    assert {"meetings.cohost_added", "meetings.cohost_removed"} <= set(_actions())


def test_join_rules_and_moderator(self_hosted, make_meeting, owner, member, make_user):
    stranger = make_user("stranger@example.org")
    invited_only = make_meeting(access=Access.INVITED)
    with pytest.raises(NotFound):
        services.meeting_join(actor=stranger, meeting=invited_only)
    with pytest.raises(NotAuthenticated):
        services.meeting_join(actor=None, meeting=invited_only, guest_name="Gus")
    services.invitation_create(actor=owner, meeting=invited_only, email=member.email)
    ticket = services.meeting_join(actor=member, meeting=invited_only)
    assert ticket.moderator is False
    _h, claims = jwt_check.verify_hs256(ticket.token, self_hosted.JITSI_APP_SECRET)
    assert (
        claims["context"]["user"]["id"] == str(member.pk)
        and claims["context"]["user"]["moderator"] == "false"
    )
    host_ticket = services.meeting_join(actor=owner, meeting=invited_only)
    assert host_ticket.moderator is True
    _h, claims = jwt_check.verify_hs256(host_ticket.token, self_hosted.JITSI_APP_SECRET)
    assert claims["context"]["user"]["moderator"] == "true" and claims["room"] == invited_only.room_name
    # a declined invitation no longer lets you in
    services.invitation_respond(
        actor=member, invitation=invited_only.invitations.get(user=member), accept=False
    )
    with pytest.raises(NotFound):
        services.meeting_join(actor=member, meeting=invited_only)

    signed_in = make_meeting(access=Access.SIGNED_IN)
    assert services.meeting_join(actor=stranger, meeting=signed_in).moderator is False
    with pytest.raises(NotAuthenticated):
        services.meeting_join(actor=None, meeting=signed_in, guest_name="Gus")

    guests = make_meeting(access=Access.GUESTS)
    with pytest.raises(ValidationFailed):
        services.meeting_join(actor=None, meeting=guests, guest_name="   ")
    guest_ticket = services.meeting_join(actor=None, meeting=guests, guest_name="Gus  Guest")
    assert guest_ticket.display_name == "Gus Guest" and guest_ticket.moderator is False
    _h, claims = jwt_check.verify_hs256(guest_ticket.token, self_hosted.JITSI_APP_SECRET)
    assert (
        claims["context"]["user"]["id"].startswith("guest-")
        and claims["context"]["user"]["moderator"] == "false"
    )


def test_ended_meeting_refused(self_hosted, make_meeting, owner):
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=4)
    )
    meeting.refresh_from_db()
    with pytest.raises(Gone) as excinfo:
        services.meeting_join(actor=owner, meeting=meeting)
    assert excinfo.value.code == "meeting_ended"


def test_avatar_rule_registered(make_meeting, owner, member, make_user):
    from videocall.accounts.selectors import can_view_avatar

    stranger = make_user("s@example.org")
    meeting = make_meeting()
    assert not can_view_avatar(member, owner)
    services.invitation_create(actor=owner, meeting=meeting, email=member.email)
    assert can_view_avatar(member, owner) and can_view_avatar(owner, member)
    assert not can_view_avatar(stranger, owner)
