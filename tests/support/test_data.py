"""Export, erasure and retention of support data (R1, R7, R9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.support.conftest import jpeg_with_gps, staff_client, upload
from videocall.core.datamap import erasers, exporters
from videocall.support.models import Attachment, Message, Ticket, TicketStatus
from videocall.support.retention import retention_sweep
from videocall.support.services import ticket_reply_by_staff

pytestmark = pytest.mark.django_db


def _export(user):
    sections = {s.name: s for s in exporters()["support"](user)}
    return (
        {name: list(section.rows) for name, section in sections.items()},
        {name: list(section.files) for name, section in sections.items()},
    )


def _erase(user, holds=()):
    eraser = dict(erasers())["support"]
    assert eraser.erase_order == 100
    counts = eraser(user=user, holds=list(holds))
    user.is_deleted = True
    user.deleted_at = timezone.now()
    user.save()
    return counts


def test_export_holds_whole_threads_without_internal_notes(member, other_member, agent, open_ticket):
    ticket = open_ticket(files=[upload("a.jpg", jpeg_with_gps())])
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="Agent answer")
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="Agent-only note", internal=True)
    open_ticket(other_member, subject="Not mine", message="Other person's words")
    rows, files = _export(member)
    assert [t["subject"] for t in rows["support_tickets"]] == ["Cannot sign in"]
    bodies = [m["body"] for m in rows["support_messages"]]
    assert bodies == ["My password reset email never arrives.", "Agent answer"]
    assert [m["author"] for m in rows["support_messages"]] == ["you", "support team"]
    assert "Ada" not in str(rows)  # the agent's name is not the user's data
    assert len(files["support_messages"]) == 1
    path, content = files["support_messages"][0]
    assert path.startswith("support/attachments/") and content.startswith(b"\xff\xd8")
    assert rows["support_messages"][0]["attachments"] == path


def test_erasure_keeps_a_coherent_tombstoned_history(member, agent, open_ticket, settings):
    ticket = open_ticket(files=[upload("a.jpg", jpeg_with_gps())])
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="Agent answer")
    attachment_name = Attachment.objects.get().file.name
    storage = Attachment.objects.get().file.storage
    counts = _erase(member)
    assert counts["support_messages_erased"] == 1
    assert counts["support_attachments_deleted"] == 1
    ticket.refresh_from_db()
    assert ticket.subject == "" and ticket.requester_erased_at is not None
    assert ticket.status == TicketStatus.CLOSED
    own = Message.objects.get(from_staff=False)
    assert own.body == "" and own.erased_at is not None
    assert Message.objects.get(from_staff=True).body == "Agent answer"
    assert not Attachment.objects.exists()
    assert storage.exists(attachment_name)  # deleted on commit of the erasure transaction

    desk = staff_client(Client(), agent)
    page = desk.get(f"/support/desk/tickets/{ticket.pk}/").content.decode()
    assert "Deleted user" in page and "This message was deleted." in page and "(erased)" in page
    assert "Agent answer" in page


def test_erasure_deletes_files_on_commit(member, open_ticket, django_capture_on_commit_callbacks):
    open_ticket(files=[upload("a.jpg", jpeg_with_gps())])
    attachment = Attachment.objects.get()
    name, storage = attachment.file.name, attachment.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        _erase(member)
    assert not storage.exists(name)


def test_erasure_removes_contact_tickets_from_the_same_address(
    member, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/support/contact/",
            {"email": member.email, "category": "other", "subject": "Before I signed up", "message": "Hi"},
        )
    assert Ticket.objects.filter(requester__isnull=True).count() == 1
    assert _erase(member)["support_contact_tickets_deleted"] == 1
    assert not Ticket.objects.exists()


def test_legal_hold_keeps_support_messages(member, open_ticket):
    ticket = open_ticket()
    counts = _erase(member, holds=["support_messages"])
    assert counts == {"support_held": 1}
    ticket.refresh_from_db()
    assert ticket.subject == "Cannot sign in"


def test_retention_sweep(member, agent, open_ticket, settings):
    now = timezone.now()
    old_closed = open_ticket(subject="old", files=[upload("a.jpg", jpeg_with_gps())])
    recent_closed = open_ticket(subject="recent")
    idle_resolved = open_ticket(subject="idle")
    active = open_ticket(subject="active")
    days = settings.RETENTION_DAYS["closed_tickets"]
    Ticket.objects.filter(pk=old_closed.pk).update(status="closed", closed_at=now - timedelta(days=days + 1))
    Ticket.objects.filter(pk=recent_closed.pk).update(
        status="closed", closed_at=now - timedelta(days=days - 1)
    )
    Ticket.objects.filter(pk=idle_resolved.pk).update(
        status="resolved", resolved_at=now - timedelta(days=30), last_activity_at=now - timedelta(days=30)
    )
    counts = retention_sweep()  # what the privacy daily sweep runs for support
    assert counts == {"autoclosed": 1, "closed_deleted": 1, "unverified_deleted": 0}
    assert set(Ticket.objects.values_list("pk", flat=True)) == {recent_closed.pk, idle_resolved.pk, active.pk}
    assert Ticket.objects.get(pk=idle_resolved.pk).status == TicketStatus.CLOSED
    assert not Attachment.objects.exists()
    assert retention_sweep() == {"autoclosed": 0, "closed_deleted": 0, "unverified_deleted": 0}


def test_privacy_retention_sweep_runs_the_support_sweep():
    from videocall.core.datamap import retention_sweeps

    assert "closed_tickets" in {category for category, _fn in retention_sweeps()}
