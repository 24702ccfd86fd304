"""The registration mode and minimum age saved in the staff console govern sign-up."""

from __future__ import annotations

import datetime as dt

from tests.accounts.conftest import signup_data
from videocall.accounts.models import SiteSettings, User


def _save(mode: str, minimum_age: int = 13) -> None:
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"registration_mode": mode, "minimum_age": minimum_age}
    )


def test_closed_registration_refuses_sign_up(client, db):
    _save("closed")
    response = client.post("/accounts/signup/", signup_data("closed@example.org"))
    assert not User.objects.filter(email="closed@example.org").exists()
    assert response.status_code in (200, 302)
    assert "closed" in client.get("/accounts/signup/").content.decode().lower()


def test_invite_only_needs_an_invitation_opened_in_this_session(
    client, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    from videocall.meetings.services import Schedule, invitation_create, meeting_create

    _save("invite-only")
    client.post("/accounts/signup/", signup_data("uninvited@example.org"))
    assert not User.objects.filter(email="uninvited@example.org").exists()

    host = make_user("host@example.org")
    meeting = meeting_create(actor=host, schedule=Schedule(title="Kick-off", is_instant=True))
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=host, meeting=meeting, email="invited@example.org")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/meetings/invitation/" in line)
    path = link[link.index("/meetings/invitation/") :].strip()
    assert client.get(path).status_code == 302
    client.post("/accounts/signup/", signup_data("invited@example.org"))
    assert User.objects.filter(email="invited@example.org").exists()


def test_the_console_minimum_age_applies(client, db):
    _save("open", minimum_age=16)
    today = dt.date.today()
    fifteen = today.replace(year=today.year - 15) - dt.timedelta(days=1)
    client.post("/accounts/signup/", signup_data("fifteen@example.org", date_of_birth=fifteen))
    assert not User.objects.filter(email="fifteen@example.org").exists()
