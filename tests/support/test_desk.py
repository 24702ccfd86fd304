"""The agents' desk: queue and filters, replies and notes, assignment, status, masked identity with an
audited reveal, canned replies, the privacy desk's tickets, and what agents may never open."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.support.conftest import staff_client
from videocall.audit.models import AuditEvent
from videocall.core.access import AnyPerm, collect_rules
from videocall.core.errors import ValidationFailed
from videocall.core.permissions import ROLE_PERMISSIONS, Perm, Role
from videocall.core.signals import privacy_inquiry_received
from videocall.support import services
from videocall.support.models import CannedReply, PIIReveal, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def _events(action: str, ticket: Ticket) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, subject_id=str(ticket.pk)))


def test_agent_never_opens_internal_admin_or_privacy_pages(agent_client):
    """Every URL guarded by a permission the support agent role lacks is refused (403, or 404 for an
    object URL), including the staff console's user list and the privacy and analytics pages."""
    from tests.core.test_url_matrix import ALL_ENDPOINTS

    agent_perms = ROLE_PERMISSIONS[Role.SUPPORT_AGENT]
    rules = collect_rules()
    checked = 0
    agent_client.raise_request_exception = False
    for endpoint in ALL_ENDPOINTS:
        rule = rules.get(endpoint.name)
        needed = set(rule) if isinstance(rule, AnyPerm) else {rule} if isinstance(rule, Perm) else set()
        if not needed or needed & agent_perms or not endpoint.url:
            continue
        response = agent_client.get(endpoint.url)
        if response.status_code == 405:
            response = agent_client.post(endpoint.url)
        assert response.status_code in (403, 404), f"{endpoint.name} {endpoint.url}: {response.status_code}"
        checked += 1
    assert checked >= 2  # at least the privacy desk list and canned-reply management
    assert agent_client.get("/support/desk/privacy/").status_code == 403
    assert agent_client.get("/support/desk/canned/").status_code == 403
    for url in ("/console/accounts/user/", "/console/audit/auditevent/", "/console/auth/group/"):
        assert agent_client.get(url).status_code in (403, 404), url
    assert agent_client.get("/console/support/cannedreply/add/").status_code == 403


def test_members_and_auditors_cannot_enter_the_desk(member_client, make_user, open_ticket):
    ticket = open_ticket()
    for url in ("/support/desk/", f"/support/desk/tickets/{ticket.pk}/", "/support/desk/privacy/"):
        assert member_client.get(url).status_code == 403
    auditor = staff_client(Client(), make_user("aud@example.org", roles=[Role.AUDITOR]))
    assert auditor.get("/support/desk/").status_code == 403
    assert auditor.get(f"/support/desk/tickets/{ticket.pk}/").status_code == 403
    assert Client().get("/support/desk/").status_code == 302


def test_agent_reply_emails_the_user_a_link_without_the_text(
    agent_client, member, open_ticket, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            f"/support/desk/tickets/{ticket.pk}/reply/", {"body": "Reset link sent again.", "status": ""}
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    assert ticket.first_response_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [member.email]
    assert f"#{ticket.pk}" in email.subject
    assert f"http://127.0.0.1:8000/support/tickets/{ticket.pk}/" in email.body
    assert "Reset link sent again." not in email.body
    assert "My password reset" not in email.body
    assert member.notifications.filter(kind="support_reply").count() == 1
    assert _events("support.staff_reply", ticket)
    assert _events("support.ticket_status", ticket)[0].metadata == {"from": "open", "to": "waiting"}


def test_internal_note_is_not_emailed_nor_shown(
    agent_client, member_client, open_ticket, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(
            f"/support/desk/tickets/{ticket.pk}/reply/", {"body": "Looks like a bounce.", "internal": "on"}
        )
    assert mail.outbox == []
    ticket.refresh_from_db()
    assert ticket.first_response_at is None and ticket.status == TicketStatus.OPEN
    assert b"Looks like a bounce." in agent_client.get(f"/support/desk/tickets/{ticket.pk}/").content
    assert b"Looks like a bounce." not in member_client.get(f"/support/tickets/{ticket.pk}/").content
    assert _events("support.internal_note", ticket)


def test_identity_is_masked_until_revealed_with_a_reason(agent, agent_client, member, open_ticket):
    ticket = open_ticket()
    page = agent_client.get(f"/support/desk/tickets/{ticket.pk}/").content
    assert member.email.encode() not in page
    assert b"Mia Member" not in page
    assert "M••• M•••".encode() in page and "m•••@e•••.org".encode() in page
    for reason in ("", "checked"):  # the one reveal rule (core.masking): 10 to 500 characters
        refused = agent_client.post(f"/support/desk/tickets/{ticket.pk}/reveal/", {"reason": reason})
        assert refused.status_code == 400
    assert not PIIReveal.objects.exists()
    with pytest.raises(ValidationFailed):
        services.requester_reveal(actor=agent, ticket=ticket, reason="checked")

    revealed = agent_client.post(
        f"/support/desk/tickets/{ticket.pk}/reveal/", {"reason": "User asks to change the email"}
    )
    assert revealed.status_code == 302
    page = agent_client.get(f"/support/desk/tickets/{ticket.pk}/").content
    assert member.email.encode() in page and b"Mia Member" in page
    log = PIIReveal.objects.get()
    assert (log.agent, log.ticket, log.reason) == (agent, ticket, "User asks to change the email")
    event = _events("support.pii_reveal", ticket)[0]
    assert event.actor_id == agent.pk and event.metadata == {"reveal_id": log.pk}
    assert "change the email" not in str(event.metadata)
    assert re.search(r'class="support-reveals">\s*<li>Ada Agent · ', page.decode())
    # Another agent still sees it masked: the reveal is per person and logged per person.
    other = staff_client(Client(), _make_agent())
    assert member.email.encode() not in other.get(f"/support/desk/tickets/{ticket.pk}/").content


def _make_agent():
    from videocall.accounts.models import User

    user = User.objects.create_user(email="agent2@example.org", password="x-long-password-1")
    user.set_roles([Role.SUPPORT_AGENT])
    return user


def test_reveal_expires(agent_client, member, open_ticket, settings):
    settings.VIDEOCALL_SUPPORT_REVEAL_SECONDS = 0
    ticket = open_ticket()
    agent_client.post(f"/support/desk/tickets/{ticket.pk}/reveal/", {"reason": "checking identity"})
    assert member.email.encode() not in agent_client.get(f"/support/desk/tickets/{ticket.pk}/").content


def test_assignment_and_status_are_audited(agent, agent_client, open_ticket, member):
    ticket = open_ticket()
    agent_client.post(f"/support/desk/tickets/{ticket.pk}/assign/", {"assignee": "me"})
    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert _events("support.ticket_assign", ticket)[0].metadata == {"from": None, "to": agent.pk}
    # Members cannot be assigned.
    agent_client.post(f"/support/desk/tickets/{ticket.pk}/assign/", {"assignee": str(member.pk)})
    ticket.refresh_from_db()
    assert ticket.assignee == agent

    agent_client.post(
        f"/support/desk/tickets/{ticket.pk}/status/", {"status": "resolved", "priority": "high"}
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.priority == "high"
    assert ticket.resolved_at is not None
    assert _events("support.ticket_status", ticket)[-1].metadata == {"from": "open", "to": "resolved"}
    assert _events("support.ticket_priority", ticket)
    page = agent_client.get(f"/support/desk/tickets/{ticket.pk}/").content.decode()
    assert "Resolution" in page and "0 min" in page

    # Requester replying to a resolved ticket opens it again; the assignee gets an in-app alert.
    member_client = Client()
    member_client.force_login(member)
    member_client.post(f"/support/tickets/{ticket.pk}/reply/", {"body": "Still broken"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN and ticket.resolved_at is None
    assert agent.notifications.filter(kind="support_requester_reply").exists()


def test_queue_filters(agent, agent_client, open_ticket, make_user):
    open_ticket(subject="Alpha account", category="account")
    b = open_ticket(subject="Bravo meetings", category="meetings")
    c = open_ticket(subject="Charlie other", category="other")
    Ticket.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(days=8))
    Ticket.objects.filter(pk=b.pk).update(status=TicketStatus.WAITING, assignee=agent)

    def subjects(query: str) -> set[str]:
        content = agent_client.get(f"/support/desk/?{query}").content.decode()
        return {s for s in ("Alpha", "Bravo", "Charlie") if s in content}

    assert subjects("") == {"Alpha", "Bravo", "Charlie"}
    assert subjects("status=waiting") == {"Bravo"}
    assert subjects("category=account") == {"Alpha"}
    assert subjects("assignee=me") == {"Bravo"}
    assert subjects("assignee=none") == {"Alpha", "Charlie"}
    assert subjects("older_than=7d") == {"Charlie"}
    assert subjects("status=bogus&category=bogus&older_than=1y&assignee=x") == {"Alpha", "Bravo", "Charlie"}


def test_queue_shows_service_times(agent, agent_client, open_ticket):
    from videocall.support.services import ticket_reply_by_staff, ticket_status_set

    ticket = open_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(hours=2, minutes=5))
    ticket.refresh_from_db()
    ticket_reply_by_staff(actor=agent, ticket=ticket, body="On it")
    ticket_status_set(actor=agent, ticket=ticket, status="resolved")
    page = agent_client.get("/support/desk/").content.decode()
    assert page.count("2 h 5 min") >= 2  # first response and resolution columns


def test_privacy_tickets_go_to_the_privacy_desk(
    agent_client, privacy_officer, member, open_ticket, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    privacy_inquiry_received.connect(receiver, dispatch_uid="test-desk-privacy")
    try:
        ticket = open_ticket(category="privacy", subject="What do you keep about me?", message="List it")
    finally:
        privacy_inquiry_received.disconnect(dispatch_uid="test-desk-privacy")
    assert received == [
        {
            "signal": privacy_inquiry_received,
            "ticket_id": ticket.pk,
            "user": member,
            "email": member.email,
            "subject": "What do you keep about me?",
            "message": "List it",
        }
    ]
    assert b"What do you keep" not in agent_client.get("/support/desk/").content
    assert agent_client.get(f"/support/desk/tickets/{ticket.pk}/").status_code == 404
    assert agent_client.post(f"/support/desk/tickets/{ticket.pk}/reply/", {"body": "x"}).status_code == 404
    assert agent_client.get("/console/support/ticket/").content.count(b"What do you keep") == 0

    dpo = staff_client(Client(), privacy_officer)
    assert b"What do you keep" in dpo.get("/support/desk/privacy/").content
    assert dpo.get(f"/support/desk/tickets/{ticket.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        dpo.post(f"/support/desk/tickets/{ticket.pk}/reply/", {"body": "Your export has it all."})
    assert len(mail.outbox) == 1
    dpo.post(f"/support/desk/tickets/{ticket.pk}/assign/", {"assignee": "me"})
    ticket.refresh_from_db()
    assert ticket.assignee == privacy_officer
    # The privacy desk does not see the agents' queue nor their tickets.
    normal = open_ticket(subject="Normal one")
    assert dpo.get("/support/desk/").status_code == 403
    assert dpo.get(f"/support/desk/tickets/{normal.pk}/").status_code == 404


def test_canned_replies(administrator, agent_client, open_ticket):
    admin = staff_client(Client(), administrator)
    created = admin.post(
        "/support/desk/canned/", {"title": "Spam folder", "body": "Please check spam.", "is_active": "on"}
    )
    assert created.status_code == 302
    canned = CannedReply.objects.get()
    assert AuditEvent.objects.filter(action="support.canned_create").exists()
    admin.post(f"/support/desk/canned/{canned.pk}/", {"title": "Spam folder", "body": "Check spam, please."})
    canned.refresh_from_db()
    assert canned.body == "Check spam, please." and canned.is_active is False
    CannedReply.objects.filter(pk=canned.pk).update(is_active=True)

    assert agent_client.post("/support/desk/canned/", {"title": "x", "body": "y"}).status_code == 403
    ticket = open_ticket()
    page = agent_client.get(f"/support/desk/tickets/{ticket.pk}/?canned={canned.pk}").content
    assert b"Check spam, please.</textarea>" in page

    admin.post(f"/support/desk/canned/{canned.pk}/", {"delete": "1"})
    assert not CannedReply.objects.exists()


def test_console_ticket_list_is_masked(agent_client, member, open_ticket):
    open_ticket()
    listing = agent_client.get("/console/support/ticket/")
    assert listing.status_code == 200
    assert member.email.encode() not in listing.content
    assert "m•••@e•••.org".encode() in listing.content
    assert agent_client.get("/console/support/piireveal/").status_code == 403
