"""Export and erasure hooks, and the jitsi-check diagnostic."""

from __future__ import annotations

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command

from tests.meetings.events import jaas_event, participant
from videocall.core.datamap import erasers, exporters
from videocall.meetings import services
from videocall.meetings.ingest import jitsi_event_ingest, refold_meeting
from videocall.meetings.jitsi.webhooks import normalise_jaas
from videocall.meetings.models import Invitation, JitsiEvent, Meeting, Participation

pytestmark = pytest.mark.django_db


def _attend(meeting, user, name: str, pid: str) -> None:
    t = int(time.time() * 1000)
    for event in [
        jaas_event(
            "PARTICIPANT_JOINED", meeting.room_name, t, "s", participant(pid, user_id=str(user.pk), name=name)
        ),
        jaas_event(
            "PARTICIPANT_LEFT",
            meeting.room_name,
            t + 60000,
            "s",
            participant(pid, user_id=str(user.pk), name=name),
        ),
    ]:
        jitsi_event_ingest(event=normalise_jaas(json.dumps(event).encode()))


def test_export_contains_own_data_only(owner, member, make_user, make_meeting):
    other = make_user("other@example.org", first_name="Otto", last_name="Other")
    meeting = make_meeting()
    services.invitation_create(actor=owner, meeting=meeting, email=member.email)
    services.invitation_create(actor=owner, meeting=meeting, email="secret-friend@example.net")
    _attend(meeting, member, "Mia Member", "p1")
    _attend(meeting, other, "Otto Other", "p2")
    sections = {s.name: list(s.rows) for s in exporters()["meetings"](member)}
    assert sections["meetings"][0]["title"] == "Weekly sync"
    assert sections["meetings"][0]["invitations_sent"] == ""
    assert sections["meeting_invitations"][0]["email"] == member.email
    assert sections["meeting_participation"][0]["duration_seconds"] == 60
    assert {"meeting_id": str(meeting.pk), "name": "Otto Other"} in sections["meeting_co_participants"]
    dump = json.dumps(sections, default=str)
    assert "secret-friend" not in dump and "other@example.org" not in dump


def test_erasure_tombstones_participation_and_deletes_own(owner, member, make_meeting):
    theirs = make_meeting()
    services.invitation_create(actor=owner, meeting=theirs, email=member.email)
    services.invitation_create(
        actor=owner, meeting=theirs, email=member.email.upper().replace("MEMBER", "member2")
    )
    _attend(theirs, member, "Mia Member", "p1")
    own = make_meeting(actor=member, title="Mine")
    erase = dict(erasers())["meetings"]
    counts = erase(user=member, holds=[])
    assert counts["meetings_deleted"] == 1 and counts["invitations_deleted"] == 1
    assert not Meeting.objects.filter(pk=own.pk).exists()
    # the accounts eraser would then anonymise the user row; simulate its effect on display names
    member.is_deleted = True
    member.first_name = member.last_name = ""
    member.save()
    row = Participation.objects.get(meeting=theirs)
    assert row.user_id == member.pk and row.display_name == "Deleted user"
    event = JitsiEvent.objects.filter(user=member).first()
    assert event.payload["data"]["name"] == "Deleted user"
    refold_meeting(theirs)  # a later refold keeps the tombstone
    assert Participation.objects.get(meeting=theirs).display_name == "Deleted user"
    assert Invitation.objects.filter(meeting=theirs).count() == 1


def test_jitsi_check_prints_token_and_settings(self_hosted):
    out, err = StringIO(), StringIO()
    call_command("jitsi_check", stdout=out, stderr=err)
    text = out.getvalue()
    assert "Mode:            self-hosted" in text
    assert '"room": "vc-sample-room"' in text and '"typ": "JWT"' in text
    assert 'app_id = "videocall"' in text and 'authentication = "token"' in text
    assert "token_affiliation" in err.getvalue()


def test_jitsi_check_open_mode(settings):
    settings.JITSI_MODE = "open"
    out = StringIO()
    call_command("jitsi_check", stdout=out, stderr=StringIO())
    assert "no token is sent" in out.getvalue()


def test_retention_sweep_deletes_old_events_keeps_history(owner, member, make_meeting):
    from datetime import timedelta

    from django.utils import timezone

    from videocall.meetings.retention import meeting_events_sweep  # run by the privacy daily sweep

    meeting = make_meeting()
    _attend(meeting, member, "Mia Member", "p1")
    JitsiEvent.objects.update(received_at=timezone.now() - timedelta(days=91))
    counts = meeting_events_sweep()
    assert counts["events_deleted"] == 2
    assert JitsiEvent.objects.count() == 0
    assert Participation.objects.filter(meeting=meeting).count() == 1  # history stays
    assert meeting_events_sweep()["events_deleted"] == 0
