"""Members open, read, answer and close their own tickets; another member's ticket is always 404."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.support.conftest import jpeg_with_gps, png_bytes, upload
from videocall.audit.models import AuditEvent
from videocall.support.models import Attachment, Message, Ticket, TicketStatus
from videocall.support.services import ticket_reply_by_staff

pytestmark = pytest.mark.django_db


def test_member_opens_a_ticket_with_a_screenshot_on_the_website(member_client):
    response = member_client.post(
        "/support/new/",
        {
            "category": "meetings",
            "subject": "Echo in my calls",
            "message": "Everyone hears themselves twice.",
            "screenshots": [upload("shot.png", png_bytes(), "image/png")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/support/tickets/{ticket.pk}/"
    assert ticket.subject == "Echo in my calls"
    assert ticket.status == TicketStatus.OPEN
    assert ticket.messages.get().attachments.count() == 1
    assert AuditEvent.objects.filter(action="support.ticket_open", subject_id=str(ticket.pk)).exists()

    listing = member_client.get("/support/")
    assert b"Echo in my calls" in listing.content
    detail = member_client.get(f"/support/tickets/{ticket.pk}/")
    assert b"Everyone hears themselves twice." in detail.content
    attachment = Attachment.objects.get()
    image = member_client.get(f"/support/attachments/{attachment.pk}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["Cache-Control"] == "no-store"


def test_bad_input_re_renders_the_form(member_client):
    response = member_client.post("/support/new/", {"category": "nonsense", "subject": "", "message": ""})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Ticket.objects.exists()
    not_image = member_client.post(
        "/support/new/",
        {
            "category": "other",
            "subject": "Hello",
            "message": "See attached",
            "screenshots": [upload("notes.png", b"just text, not a picture", "image/png")],
        },
    )
    assert not_image.status_code == 200
    assert b"JPEG, PNG, WebP or GIF" in not_image.content
    assert not Ticket.objects.exists()


def test_thread_reply_and_close(member, member_client, open_ticket, agent):
    ticket = open_ticket()
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="Please check your spam folder.")
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="ZZ-internal: user seems confused", internal=True)
    page = member_client.get(f"/support/tickets/{ticket.pk}/")
    assert b"Please check your spam folder." in page.content
    assert b"ZZ-internal" not in page.content
    assert b"Ada" not in page.content  # staff appear as the team, never by name
    assert b"Support team" in page.content

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    member_client.post(f"/support/tickets/{ticket.pk}/reply/", {"body": "Found it, thanks!"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    member_client.post(f"/support/tickets/{ticket.pk}/close/")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.closed_at is not None
    late = member_client.post(f"/support/tickets/{ticket.pk}/reply/", {"body": "One more thing"})
    assert late.status_code == 400
    assert b"closed" in late.content
    assert AuditEvent.objects.filter(action="support.ticket_status", subject_id=str(ticket.pk)).count() == 3


def test_another_members_ticket_is_404_everywhere(client, open_ticket, other_member, member):
    ticket = open_ticket(files=[upload("gps.jpg", jpeg_with_gps())])
    attachment = Attachment.objects.get()
    client.force_login(other_member)
    assert client.get(f"/support/tickets/{ticket.pk}/").status_code == 404
    assert client.post(f"/support/tickets/{ticket.pk}/reply/", {"body": "hi"}).status_code == 404
    assert client.post(f"/support/tickets/{ticket.pk}/close/").status_code == 404
    assert client.get(f"/support/attachments/{attachment.pk}/").status_code == 404
    assert b"Cannot sign in" not in client.get("/support/").content
    api = "/api/v1/support"
    assert client.get(f"{api}/tickets/{ticket.pk}").status_code == 404
    assert (
        client.post(f"{api}/tickets/{ticket.pk}/messages", {"body": "x"}, "application/json").status_code
        == 404
    )
    assert client.post(f"{api}/tickets/{ticket.pk}/close").status_code == 404
    assert client.get(f"{api}/attachments/{attachment.pk}").status_code == 404
    assert client.get(f"{api}/tickets").json() == []
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.messages.count() == 1


def test_api_journey(member_client, agent):
    api = "/api/v1/support"
    created = member_client.post(
        f"{api}/tickets",
        {"category": "account", "subject": "Change my name", "message": "How do I do that?"},
        "application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    ticket_id, message_id = body["id"], body["messages"][0]["id"]
    assert body["messages"][0]["mine"] is True

    with open_upload(png_bytes()) as handle:
        attached = member_client.post(
            f"{api}/tickets/{ticket_id}/messages/{message_id}/attachments", {"file": handle}
        )
    assert attached.status_code == 201, attached.content
    attachment_id = attached.json()[0]["id"]
    assert member_client.get(f"{api}/attachments/{attachment_id}").status_code == 200

    ticket = Ticket.objects.get(pk=ticket_id)
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="Settings, then Profile.")
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="secret staff note", internal=True)
    detail = member_client.get(f"{api}/tickets/{ticket_id}").json()
    assert [m["body"] for m in detail["messages"]] == ["How do I do that?", "Settings, then Profile."]
    assert detail["messages"][1]["author"] == "Support team"
    assert detail["status"] == "waiting"

    reply = member_client.post(f"{api}/tickets/{ticket_id}/messages", {"body": "Thanks"}, "application/json")
    assert reply.status_code == 201
    closed = member_client.post(f"{api}/tickets/{ticket_id}/close")
    assert closed.json()["status"] == "closed"
    again = member_client.post(f"{api}/tickets/{ticket_id}/messages", {"body": "More"}, "application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "ticket_closed"
    assert again["Content-Type"] == "application/problem+json"


def test_api_validates_input(member_client):
    api = "/api/v1/support"
    bad = member_client.post(
        f"{api}/tickets", {"category": "x", "subject": "", "message": ""}, "application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_failed"
    too_long = member_client.post(
        f"{api}/tickets", {"category": "other", "subject": "s" * 201, "message": "m"}, "application/json"
    )
    assert too_long.status_code == 422
    assert member_client.get(f"{api}/tickets/{2**63}").status_code == 422


def test_anonymous_api_is_401(client):
    assert client.get("/api/v1/support/tickets").status_code == 401
    assert client.get("/support/").status_code == 302


def test_subject_body_and_files_are_encrypted_at_rest(open_ticket, settings):
    ticket = open_ticket(
        subject="Plainly visible subject",
        message="Plainly visible body",
        files=[upload("gps.jpg", jpeg_with_gps())],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject FROM support_ticket WHERE id = %s", [ticket.pk])
        (raw_subject,) = cursor.fetchone()
        cursor.execute("SELECT body FROM support_message WHERE ticket_id = %s", [ticket.pk])
        (raw_body,) = cursor.fetchone()
    assert "Plainly" not in raw_subject and raw_subject.startswith("v1:")
    assert "Plainly" not in raw_body and raw_body.startswith("v1:")
    attachment = Attachment.objects.get()
    raw_file = attachment.file.storage.read_raw(attachment.file.name)
    assert not raw_file.startswith(b"\xff\xd8")  # not a JPEG on disk: ciphertext
    assert attachment.file.read().startswith(b"\xff\xd8")
    assert Message.objects.get().body == "Plainly visible body"


class open_upload:
    """A named temporary upload for the API's multipart route."""

    def __init__(self, content: bytes, name: str = "shot.png", content_type: str = "image/png") -> None:
        self.file = upload(name, content, content_type)

    def __enter__(self):
        return self.file

    def __exit__(self, *exc):
        self.file.close()
