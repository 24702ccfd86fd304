"""The contact form: rate-limited, nothing reaches staff before the address is verified through a
one-time expiring link, and the link opens a short signed reading session (no token stays in a URL)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.support.conftest import staff_client
from videocall.audit.models import AuditEvent
from videocall.core.signals import privacy_inquiry_received
from videocall.support.models import Ticket, TicketStatus
from videocall.support.services import ticket_reply_by_staff

pytestmark = pytest.mark.django_db

FORM = {"email": "visitor@example.net", "category": "meetings", "subject": "Room full", "message": "Help me"}


def _link(message) -> str:
    match = re.search(r"http://[^\s]+/support/contact/link/([^\s/]+)/", message.body)
    assert match, message.body
    return f"/support/contact/link/{match.group(1)}/"


def _send(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/support/contact/", {**FORM, **overrides})


def test_contact_needs_verification_before_agents_see_it(client, agent, django_capture_on_commit_callbacks):
    response = _send(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/support/contact/sent/"
    ticket = Ticket.objects.get()
    assert ticket.contact_verified_at is None
    assert ticket.contact_email == "visitor@example.net"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["visitor@example.net"]
    assert "Help me" not in mail.outbox[0].body
    link = _link(mail.outbox[0])

    desk = staff_client(Client(), agent)
    assert b"Room full" not in desk.get("/support/desk/").content
    assert desk.get(f"/support/desk/tickets/{ticket.pk}/").status_code == 404

    # Opening the link shows a button; it does not use the link up (mail scanners open links).
    visitor = Client()
    assert visitor.get(link).status_code == 200
    assert visitor.get(link).status_code == 200
    ticket.refresh_from_db()
    assert ticket.contact_verified_at is None

    used = visitor.post(link)
    assert used.status_code == 302 and used["Location"] == "/support/contact/ticket/"
    ticket.refresh_from_db()
    assert ticket.contact_verified_at is not None
    assert ticket.link_token_hash == ""
    assert AuditEvent.objects.filter(action="support.contact_verify", subject_id=str(ticket.pk)).exists()
    cookie = used.cookies["vc_support_contact"]
    assert cookie["httponly"] and cookie["max-age"] == 1800
    thread = visitor.get("/support/contact/ticket/")
    assert thread.status_code == 200 and b"Help me" in thread.content

    # Single use: the same link no longer works.
    assert Client().post(link).status_code == 404
    assert Client().get(link).status_code == 404

    # Now the desk sees it, the email masked.
    queue = desk.get("/support/desk/")
    assert b"Room full" in queue.content
    page = desk.get(f"/support/desk/tickets/{ticket.pk}/")
    assert page.status_code == 200
    assert b"visitor@example.net" not in page.content
    assert "v•••@e•••.net".encode() in page.content


def test_agent_reply_emails_a_new_one_time_link_and_visitor_answers(
    client, agent, django_capture_on_commit_callbacks
):
    _send(client, django_capture_on_commit_callbacks)
    visitor = Client()
    visitor.post(_link(mail.outbox[0]))
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply_by_staff(actor=agent, ticket=ticket, body="The room holds 100 people.")
        ticket_reply_by_staff(actor=agent, ticket=ticket, body="internal: seen this before", internal=True)
    assert len(mail.outbox) == 2
    email = mail.outbox[1]
    assert "The room holds" not in email.body
    new_link = _link(email)

    fresh = Client()
    fresh.post(new_link)
    thread = fresh.get("/support/contact/ticket/")
    assert b"The room holds 100 people." in thread.content
    assert b"internal: seen this before" not in thread.content
    assert fresh.post("/support/contact/ticket/reply/", {"body": "Thanks, solved"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    last = ticket.messages.order_by("-id").first()
    assert last.body == "Thanks, solved" and last.author is None and not last.from_staff
    assert AuditEvent.objects.filter(action="support.contact_link_use").exists()


def test_link_expires(client, settings, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    Ticket.objects.update(link_expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(link).status_code == 404
    assert Client().post(link).status_code == 404
    assert Ticket.objects.get().contact_verified_at is None


def test_reading_session_is_short_and_signed(client, settings, django_capture_on_commit_callbacks):
    _send(client, django_capture_on_commit_callbacks)
    visitor = Client()
    visitor.post(_link(mail.outbox[0]))
    ticket = Ticket.objects.get()
    forged = Client()
    forged.cookies["vc_support_contact"] = str(ticket.pk)
    response = forged.get("/support/contact/ticket/")
    assert response.status_code == 302 and response["Location"] == "/support/contact/"
    assert forged.post("/support/contact/ticket/reply/", {"body": "x"}).status_code == 302
    settings.VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS = 0
    expired = visitor.get("/support/contact/ticket/")
    assert expired.status_code == 302


def test_rate_limited_per_email_and_per_ip(client, settings, django_capture_on_commit_callbacks):
    settings.VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR = 2
    settings.VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR = 4
    assert _send(client, django_capture_on_commit_callbacks).status_code == 302
    assert _send(client, django_capture_on_commit_callbacks, email="VISITOR@example.net").status_code == 302
    limited = _send(client, django_capture_on_commit_callbacks)
    assert limited.status_code == 429
    assert b"Too many messages" in limited.content
    # Another address from the same IP: allowed once more, then the IP limit applies.
    assert _send(client, django_capture_on_commit_callbacks, email="b@example.net").status_code == 302
    assert _send(client, django_capture_on_commit_callbacks, email="c@example.net").status_code == 429
    # The API shares the limits and answers problem+json.
    api = client.post("/api/v1/support/contact", {**FORM, "email": "d@example.net"}, "application/json")
    assert api.status_code == 429 and api.json()["code"] == "contact_rate_limited"
    other_ip = Client(REMOTE_ADDR="10.9.8.7")
    ok = other_ip.post("/api/v1/support/contact", {**FORM, "email": "d@example.net"}, "application/json")
    assert ok.status_code == 202 and ok.json() == {"status": "verification_sent"}
    assert Ticket.objects.count() == 4


def test_same_answer_for_an_address_with_an_account(client, member, django_capture_on_commit_callbacks):
    response = _send(client, django_capture_on_commit_callbacks, email=member.email)
    assert response.status_code == 302 and response["Location"] == "/support/contact/sent/"
    ticket = Ticket.objects.get()
    assert ticket.requester is None  # an email alone never attaches a message to an account


def test_privacy_contact_reaches_privacy_desk_only_after_verification(
    client, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    privacy_inquiry_received.connect(receiver, dispatch_uid="test-contact-privacy")
    try:
        _send(client, django_capture_on_commit_callbacks, category="privacy", subject="Delete me")
        assert received == []
        Client().post(_link(mail.outbox[0]))
    finally:
        privacy_inquiry_received.disconnect(dispatch_uid="test-contact-privacy")
    ticket = Ticket.objects.get()
    assert len(received) == 1
    assert received[0]["ticket_id"] == ticket.pk
    assert received[0]["user"] is None
    assert received[0]["email"] == "visitor@example.net"
    assert received[0]["subject"] == "Delete me"
    assert received[0]["message"] == "Help me"


def test_unverified_contact_tickets_are_swept(client, settings, django_capture_on_commit_callbacks):
    from videocall.support.retention import retention_sweep

    _send(client, django_capture_on_commit_callbacks)
    Ticket.objects.update(
        created_at=timezone.now() - timedelta(days=settings.RETENTION_DAYS["unverified_signups"] + 1)
    )
    assert retention_sweep()["unverified_deleted"] == 1
    assert not Ticket.objects.exists()


def test_signed_in_member_is_sent_to_the_member_form(member_client):
    response = member_client.get("/support/contact/")
    assert response.status_code == 302 and response["Location"] == "/support/new/"


@pytest.mark.parametrize(
    "email",
    [
        "f\x01\u00dc4(\u00c4ee@\u00ff",  # found by the API fuzzer: no mail can be addressed to it
        "i@\u0185\ue46b\u0105z.yc",  # passes Django's validator, but the domain cannot be IDNA-encoded
        "a(b@example.net",
    ],
)
def test_contact_api_refuses_an_address_no_mail_can_be_sent_to(
    client, django_capture_on_commit_callbacks, email
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/support/contact", {**FORM, "email": email}, "application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "validation_failed"
    assert Ticket.objects.count() == 0 and mail.outbox == []
