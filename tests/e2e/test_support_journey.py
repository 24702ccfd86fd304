"""A member asks for help, an agent answers from the desk in another browser, the member gets the
email and reads the reply."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from PIL import Image

from videocall.core.permissions import Role, sync_roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(context, live_server, user) -> None:
    """Sign the browser context in with a real server-side session (the sign-in form is the accounts
    journey's subject; this one starts signed in)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    # Staff pages may require MFA: the session records it as done, as after a TOTP sign-in.
    session["account_authentication_methods"] = [
        {"method": "password", "at": 2e9, "email": user.email},
        {"method": "mfa", "type": "totp", "at": 2e9},
    ]
    session.save()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )


def _screenshot() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 144, 255)).save(out, format="PNG")
    return out.getvalue()


def test_member_opens_ticket_agent_replies_member_reads_reply_and_email(
    page, browser, live_server, make_user
):
    # A transactional test before this one may have flushed the role permissions: restore them.
    sync_roles()
    member = make_user("journey@example.org", first_name="Jo", last_name="Journey")
    agent = make_user("desk@example.org", roles=[Role.SUPPORT_AGENT], first_name="Dee", last_name="Desk")

    # The member opens a ticket with a screenshot.
    _sign_in(page.context, live_server, member)
    page.goto("/support/new/")
    page.select_option("select[name=category]", "meetings")
    page.fill("input[name=subject]", "Camera stays black")
    page.fill("textarea[name=message]", "When I join, my camera shows nothing.")
    page.set_input_files(
        "input[name=screenshots]",
        files=[{"name": "black.png", "mimeType": "image/png", "buffer": _screenshot()}],
    )
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/support/tickets/\d+/$"))
    ticket_path = page.url.removeprefix(live_server.url)
    assert page.get_by_role("heading", name="Camera stays black").is_visible()
    assert page.get_by_text("Screenshot (120×80)").is_visible()

    # An agent, in a second browser, finds it in the queue and replies.
    agent_context = browser.new_context(base_url=live_server.url)
    try:
        desk = agent_context.new_page()
        desk_errors: list[str] = []
        desk.on("console", lambda msg: desk_errors.append(msg.text) if msg.type == "error" else None)
        _sign_in(agent_context, live_server, agent)
        desk.goto("/support/desk/")
        desk.get_by_role("link", name="Camera stays black").click()
        assert desk.get_by_text("When I join, my camera shows nothing.").is_visible()
        assert "journey@example.org" not in desk.content()  # masked until revealed
        desk.fill("textarea[name=body]", "Please allow camera access in your browser settings.")
        desk.locator("form[action$='/reply/'] button[type=submit]").click()
        desk.wait_for_load_state()
        assert desk.get_by_text("Reply sent; the requester is emailed.").is_visible()
        assert desk.locator(".status").first.inner_text() == "Waiting on user"
        assert desk_errors == []
    finally:
        agent_context.close()

    # The member got an email with a link back (and not the reply text), and reads the reply there.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["journey@example.org"]
    assert "Please allow camera access" not in email.body
    link = re.search(r"https?://\S+(/support/tickets/\d+/)", email.body)
    assert link and link.group(1) == ticket_path
    page.goto(link.group(1))
    assert page.get_by_text("Please allow camera access in your browser settings.").is_visible()
    assert page.get_by_text("Support team").is_visible()
    assert page.locator(".status").first.inner_text() == "Waiting on user"
    assert page.console_errors == []
