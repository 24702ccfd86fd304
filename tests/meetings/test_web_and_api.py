"""Website pages and API routes over the same services."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.meetings import jwt_check
from tests.meetings.events import jaas_event, participant
from videocall.meetings.ingest import jitsi_event_ingest
from videocall.meetings.jitsi.webhooks import normalise_jaas
from videocall.meetings.models import Access, Meeting

pytestmark = pytest.mark.django_db


def _form(**overrides):
    start = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    data = {
        "title": "Planning",
        "description": "",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "Europe/Paris",
        "recurrence": "none",
        "access": "guests",
    }
    data.update(overrides)
    return data


def test_create_form_validation_and_success(member_client, member):
    page = member_client.get("/meetings/new/")
    assert page.status_code == 200
    bad = member_client.post("/meetings/new/", _form(title="", ends_at=""))
    assert bad.status_code == 422
    assert b"errorlist" in bad.content
    wrong_order = member_client.post("/meetings/new/", _form(ends_at=_form()["starts_at"]))
    assert wrong_order.status_code == 422 and b"The end must be after the start." in wrong_order.content
    ok = member_client.post("/meetings/new/", _form())
    assert ok.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.timezone == "Europe/Paris"
    import zoneinfo

    typed = _form()["starts_at"]
    assert meeting.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M") == typed
    listing = member_client.get("/meetings/")
    assert b"Planning" in listing.content
    detail = member_client.get(f"/meetings/{meeting.pk}/")
    assert detail.status_code == 200 and b"Invite" in detail.content


def test_unverified_cannot_open_create(client, make_user):
    user = make_user("u@example.org", verified=False)
    client.force_login(user)
    assert client.get("/meetings/new/").status_code == 302


def test_meeting_page_csp_and_data_attributes(member_client, member, self_hosted, make_meeting):
    self_hosted.JITSI_SCRIPT_ORIGIN = "https://meet.example.org"
    meeting = make_meeting(actor=member)
    response = member_client.get(f"/meetings/{meeting.pk}/join/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self' https://meet.example.org"
    assert directives["frame-src"] == "'self' https://meet.example.org"
    assert "'unsafe-inline'" not in csp
    assert 'camera=(self "https://meet.example.org")' in response["Permissions-Policy"]
    assert 'display-capture=(self "https://meet.example.org")' in response["Permissions-Policy"]
    html = response.content.decode()
    assert '<script src="https://meet.example.org/external_api.js"' in html
    assert f'data-room="{meeting.room_name}"' in html
    assert 'data-allow="camera; microphone; display-capture; autoplay; clipboard-write"' in html
    assert "<script>" not in html  # no inline script
    token = html.split('data-jwt="', 1)[1].split('"', 1)[0]
    _h, claims = jwt_check.verify_hs256(token, self_hosted.JITSI_APP_SECRET)
    assert claims["room"] == meeting.room_name and claims["context"]["user"]["moderator"] == "true"
    assert "jitsi-fallback" in html


def test_guest_flow(client, self_hosted, make_meeting):
    meeting = make_meeting(access=Access.GUESTS)
    form = client.get(f"/meetings/{meeting.pk}/join/")
    assert form.status_code == 200 and b"display_name" in form.content
    assert client.post(f"/meetings/{meeting.pk}/join/", {"display_name": ""}).status_code == 422
    redirect = client.post(f"/meetings/{meeting.pk}/join/", {"display_name": "Gus Guest"})
    assert redirect.status_code == 302
    room = client.get(f"/meetings/{meeting.pk}/join/")
    assert room.status_code == 200 and b'data-name="Gus Guest"' in room.content
    private = make_meeting(access=Access.SIGNED_IN)
    assert client.get(f"/meetings/{private.pk}/join/").status_code == 302  # to sign-in


def test_invitation_link_moves_token_out_of_url(
    client, owner, make_meeting, self_hosted, django_capture_on_commit_callbacks
):
    from videocall.meetings import services

    meeting = make_meeting(access=Access.INVITED)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=owner, meeting=meeting, email="guest@example.net")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/meetings/invitation/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    opened = client.get("/" + path)
    assert opened.status_code == 302 and opened["Location"] == "/meetings/invitation/"
    landing = client.get("/meetings/invitation/")
    assert landing.status_code == 200 and b"Weekly sync" in landing.content
    assert client.post("/meetings/invitation/", {"answer": "accept"}).status_code == 302
    assert meeting.invitations.get().status == "accepted"
    client.post(f"/meetings/{meeting.pk}/join/", {"display_name": "Invited Guest"})
    assert client.get(f"/meetings/{meeting.pk}/join/").status_code == 200
    assert client.get("/meetings/invitation/not-a-token/").status_code == 302
    assert client.get("/meetings/invitation/").status_code == 404


def test_attendance_csv_owner_only(client, owner, member, make_meeting, self_hosted):
    meeting = make_meeting()
    t = int(time.time() * 1000)
    for event in [
        jaas_event("ROOM_CREATED", meeting.room_name, t, "s"),
        jaas_event(
            "PARTICIPANT_JOINED",
            meeting.room_name,
            t + 1000,
            "s",
            participant("a", user_id=str(owner.pk), name="Olga", moderator=True),
        ),
        jaas_event("PARTICIPANT_JOINED", meeting.room_name, t + 2000, "s", participant("b", name="=cmd()")),
        jaas_event("PARTICIPANT_LEFT", meeting.room_name, t + 62000, "s", participant("b", name="=cmd()")),
        jaas_event("ROOM_DESTROYED", meeting.room_name, t + 120000, "s"),
    ]:
        jitsi_event_ingest(event=normalise_jaas(json.dumps(event).encode()))
    client.force_login(owner)
    page = client.get(f"/meetings/{meeting.pk}/attendance/")
    assert page.status_code == 200 and b"Olga Owner" in page.content
    csv_response = client.get(f"/meetings/{meeting.pk}/attendance.csv")
    body = csv_response.content.decode()
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Olga Owner" in body and "'=cmd()" in body and ",60" in body
    history = client.get("/meetings/history/")
    assert b"Weekly sync" in history.content
    client.force_login(member)
    assert client.get(f"/meetings/{meeting.pk}/attendance.csv").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/attendance/").status_code == 404


def test_ics_downloads(member_client, member, make_meeting):
    meeting = make_meeting(actor=member, title="Sprint review, part 2; long title " + "x" * 80)
    one = member_client.get(f"/meetings/{meeting.pk}/meeting.ics")
    text = one.content.decode()
    assert one["Content-Type"].startswith("text/calendar")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "END:VEVENT" in text
    assert "Sprint review\\, part 2\\; long" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    feed = member_client.get("/meetings/calendar.ics")
    assert feed.content.decode().count("BEGIN:VEVENT") == 1


def test_api_lifecycle(client, member, make_user, self_hosted):
    client.force_login(member)
    start = timezone.now() + timedelta(days=1)
    payload = {
        "title": "API meeting",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "timezone": "UTC",
        "access": "invited",
        "lobby_enabled": True,
    }
    created = client.post("/api/v1/meetings/", data=payload, content_type="application/json")
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    bad = client.post(
        "/api/v1/meetings/", data={**payload, "access": "everyone"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    worse = client.post(
        "/api/v1/meetings/", data={**payload, "ends_at": start.isoformat()}, content_type="application/json"
    )
    assert worse.status_code == 422 and worse.json()["code"] == "validation_failed"
    assert client.get("/api/v1/meetings/").json()["upcoming"][0]["id"] == meeting_id
    invited = client.post(
        f"/api/v1/meetings/{meeting_id}/invitations",
        data={"email": "friend@example.org"},
        content_type="application/json",
    )
    assert invited.status_code == 201
    friend = make_user("friend@example.org")
    join = client.post(f"/api/v1/meetings/{meeting_id}/join", data={}, content_type="application/json")
    assert join.status_code == 200
    body = join.json()
    assert body["server_url"] == "https://meet.example.org" and body["room"] == body["room_name"]
    assert body["moderator"] is True and body["lobby_enabled"] is True and body["token"]
    client.force_login(friend)
    assert client.get(f"/api/v1/meetings/{meeting_id}").status_code == 404  # invited before having an account
    client.logout()
    anon = client.post(
        f"/api/v1/meetings/{meeting_id}/join", data={"display_name": "x"}, content_type="application/json"
    )
    assert anon.status_code == 401
    client.force_login(member)
    cancelled = client.post(f"/api/v1/meetings/{meeting_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert (
        client.post(
            f"/api/v1/meetings/{meeting_id}/join", data={}, content_type="application/json"
        ).status_code
        == 410
    )


def test_other_peoples_meetings_are_404(client, make_user, make_meeting):
    meeting = make_meeting()
    stranger = make_user("nosy@example.org")
    client.force_login(stranger)
    for url in [
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/edit/",
        f"/api/v1/meetings/{meeting.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/meetings/{meeting.pk}/cancel/").status_code == 404
    assert client.post(f"/api/v1/meetings/{meeting.pk}/cancel").status_code == 404


@pytest.mark.parametrize("year", [1, 9999])
def test_api_refuses_far_dates(client, member, year):
    client.force_login(member)
    payload = {"title": "Far", "starts_at": f"{year}-01-01T10:00:00Z", "ends_at": f"{year}-01-01T11:00:00Z"}
    response = client.post("/api/v1/meetings/", data=payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"
