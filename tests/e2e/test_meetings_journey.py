"""Browser journey: sign in, create a meeting, open its page; the Jitsi IFrame API script is fetched from
the configured Jitsi origin (a stand-in external_api.js served by this test on 127.0.0.1) and receives
the room name and a token, which the stand-in writes into the page."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAND_IN_JS = b"""
window.JitsiMeetExternalAPI = function (domain, options) {
  var out = document.createElement("pre");
  out.id = "stand-in";
  out.setAttribute("data-domain", domain);
  out.setAttribute("data-room", options.roomName);
  out.setAttribute("data-jwt", options.jwt || "");
  out.setAttribute("data-name", (options.userInfo || {}).displayName || "");
  out.textContent = "stand-in received " + options.roomName;
  options.parentNode.appendChild(out);
  this.getIFrame = function () { return null; };
  this.addListener = function () {};
  this.executeCommand = function () {};
};
"""


class _Handler(BaseHTTPRequestHandler):
    requested: list[str] = []

    def do_GET(self) -> None:
        type(self).requested.append(self.path)
        if self.path == "/external_api.js":
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript")
            self.send_header("Content-Length", str(len(STAND_IN_JS)))
            self.end_headers()
            self.wfile.write(STAND_IN_JS)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def jitsi_stand_in() -> Iterator[tuple[str, list[str]]]:
    _Handler.requested = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", _Handler.requested
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _roles() -> None:
    # transactional tests flush the data migration's role permissions; put them back
    from videocall.core.permissions import sync_roles

    sync_roles()


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_create_meeting_and_open_its_page(page, live_server, make_user, settings, jitsi_stand_in):
    host, requested = jitsi_stand_in
    settings.JITSI_MODE = "self-hosted"
    settings.JITSI_DOMAIN = host
    settings.JITSI_SCRIPT_ORIGIN = f"http://{host}"
    settings.JITSI_APP_ID = "videocall"
    settings.JITSI_APP_SECRET = "browser-test-secret-0123456789abcdef"
    settings.JITSI_ALGORITHM = "HS256"
    make_user("host@example.org", password="a long browser password", first_name="Hana", last_name="Host")

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "host@example.org")
    page.fill("input[name=password]", "a long browser password")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto("/meetings/new/")
    start = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("input[name=title]", "Browser journey")
    page.fill("input[name=starts_at]", start)
    page.fill("input[name=ends_at]", end)
    page.select_option("select[name=timezone]", "UTC")
    page.get_by_role("button", name="Create meeting").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Browser journey").is_visible()

    page.get_by_role("link", name="Join the meeting").click()
    stand_in = page.locator("#stand-in")
    stand_in.wait_for(timeout=10000)
    from videocall.meetings.models import Meeting

    meeting = Meeting.objects.get()
    assert "/external_api.js" in requested
    assert stand_in.get_attribute("data-domain") == host
    assert stand_in.get_attribute("data-room") == meeting.room_name
    token = stand_in.get_attribute("data-jwt")
    claims = _claims(token)
    assert claims["room"] == meeting.room_name
    assert claims["context"]["user"]["name"] == "Hana Host"
    assert claims["context"]["user"]["moderator"] == "true"
    assert stand_in.get_attribute("data-name") == "Hana Host"
    assert page.locator("#jitsi-fallback").is_hidden()
    assert page.console_errors == []


def test_fallback_when_jitsi_cannot_load(page, live_server, make_user, settings):
    settings.JITSI_MODE = "open"
    settings.JITSI_DOMAIN = "127.0.0.1:9"  # nothing listens there
    settings.JITSI_SCRIPT_ORIGIN = "http://127.0.0.1:9"
    from videocall.meetings.services import Schedule, meeting_create

    owner = make_user("o@example.org")
    meeting = meeting_create(
        actor=owner, schedule=Schedule(title="Guests welcome", is_instant=True, access="guests")
    )
    page.goto(f"/meetings/{meeting.pk}/join/")
    page.fill("input[name=display_name]", "Gus Guest")
    page.get_by_role("button", name="Join as guest").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="The video meeting could not start here").is_visible()
