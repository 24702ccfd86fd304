"""The staff console's user management: masked lists, reveal with a reason, actions through services."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client

from videocall.audit.models import AuditEvent
from videocall.core.permissions import Role
from videocall.staff.models import RevealRecord

pytestmark = pytest.mark.django_db

CHANGELIST = "/console/accounts/user/"


def test_members_are_sent_to_the_console_login(member_client):
    response = member_client.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")


def test_console_index_shows_each_role_its_own_pages(staff_client):
    auditor, _user = staff_client(Role.AUDITOR)
    page = auditor.get("/console/").content.decode()
    assert "/console/audit/auditevent/" in page
    assert "/console/accounts/user/" not in page
    assert "/console/settings/" not in page

    support, _user = staff_client(Role.SUPPORT_AGENT)
    page = support.get("/console/").content.decode()
    assert "/console/audit/auditevent/" not in page
    assert "/console/accounts/user/" not in page

    admin, _user = staff_client(Role.ADMINISTRATOR)
    page = admin.get("/console/").content.decode()
    for url in ("/console/accounts/user/", "/console/settings/", "/console/staff/incident/"):
        assert url in page


def test_user_list_masks_personal_data(staff_client, target):
    admin, _user = staff_client(Role.ADMINISTRATOR)
    page = admin.get(CHANGELIST).content.decode()
    assert "mia.target@example.org" not in page
    assert "Targetson" not in page
    assert "m•••@e•••.org" in page
    assert "T•••" in page
    for url in (f"{CHANGELIST}{target.pk}/change/", f"{CHANGELIST}{target.pk}/history/"):
        page = admin.get(url).content.decode()
        assert "mia.target@example.org" not in page and "Targetson" not in page and "Mia" not in page, url


def test_user_search_by_exact_email_uses_the_blind_index(staff_client, target, make_user):
    make_user("someone.else@example.org")
    admin, _user = staff_client(Role.ADMINISTRATOR)
    page = admin.get(CHANGELIST, {"q": "MIA.target@example.org"}).content.decode()
    assert f'href="/console/accounts/user/{target.pk}/change/' in page
    assert "s•••@" not in page


def test_reveal_needs_a_reason_and_is_audited(staff_client, target):
    admin, admin_user = staff_client(Role.ADMINISTRATOR)
    url = f"/console/reveal/accounts/user/{target.pk}/email/"
    form = admin.get(url)
    assert form.status_code == 200
    assert "mia.target@example.org" not in form.content.decode()

    refused = admin.post(url, {"reason": "x"})
    assert "mia.target@example.org" not in refused.content.decode()
    assert RevealRecord.objects.count() == 0

    shown = admin.post(url, {"reason": "Ticket 4711: the member asked to verify the address"})
    assert "mia.target@example.org" in shown.content.decode()
    assert shown["Cache-Control"].startswith("no-store") or "no-store" in shown["Cache-Control"]
    record = RevealRecord.objects.get()
    assert (record.actor_id, record.subject_id, record.field) == (admin_user.pk, str(target.pk), "email")
    assert record.reason.startswith("Ticket 4711")
    event = AuditEvent.objects.get(action="staff.pii_revealed")
    assert event.actor_id == admin_user.pk
    assert event.subject_id == str(target.pk)
    assert event.metadata == {"field": "email", "reveal": record.pk}


def test_reveal_is_refused_without_the_permission_or_for_unmasked_fields(staff_client, target):
    auditor, _user = staff_client(Role.AUDITOR)
    assert (
        auditor.post(
            f"/console/reveal/accounts/user/{target.pk}/email/", {"reason": "curious about it"}
        ).status_code
        == 403
    )
    admin, _user = staff_client(Role.ADMINISTRATOR)
    assert admin.get(f"/console/reveal/accounts/user/{target.pk}/password/").status_code == 404
    # Support agents may reveal, but only on pages they can see: not the user list.
    support, _user = staff_client(Role.SUPPORT_AGENT)
    assert support.get(f"/console/reveal/accounts/user/{target.pk}/email/").status_code == 403


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/openapi.json").wsgi_request.user.is_authenticated
    return client


def _action(client: Client, action: str, *users) -> None:
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [u.pk for u in users]})
    assert response.status_code == 302, response.content[:500]


def test_deactivate_ends_every_session_and_is_audited(staff_client, target):
    victim_session = _signed_in_client(target)
    admin, admin_user = staff_client(Role.ADMINISTRATOR)
    _action(admin, "deactivate", target)
    target.refresh_from_db()
    assert target.is_active is False
    assert not victim_session.get("/").wsgi_request.user.is_authenticated
    event = AuditEvent.objects.get(action="staff.user_deactivated")
    assert event.actor_id == admin_user.pk and event.metadata["sessions"] >= 1

    _action(admin, "activate", target)
    target.refresh_from_db()
    assert target.is_active is True
    assert AuditEvent.objects.filter(action="staff.user_activated", subject_id=str(target.pk)).exists()


def test_administrators_cannot_deactivate_themselves(staff_client):
    admin, admin_user = staff_client(Role.ADMINISTRATOR)
    _action(admin, "deactivate", admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_active is True


def test_force_sign_out(staff_client, target):
    victim_session = _signed_in_client(target)
    admin, _user = staff_client(Role.ADMINISTRATOR)
    _action(admin, "force_sign_out", target)
    assert not victim_session.get("/").wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action="staff.user_signed_out", subject_id=str(target.pk)).exists()
    target.refresh_from_db()
    assert target.is_active is True


def test_reset_mfa_removes_authenticators_and_tells_the_user(
    staff_client, target, django_capture_on_commit_callbacks
):
    Authenticator.objects.create(user=target, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Authenticator.objects.create(user=target, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "y"})
    admin, _user = staff_client(Role.ADMINISTRATOR)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _action(admin, "reset_mfa", target)
    assert Authenticator.objects.filter(user=target).count() == 0
    event = AuditEvent.objects.get(action="staff.user_mfa_reset")
    assert event.metadata["authenticators"] == 2
    assert [m.to for m in mail.outbox] == [["mia.target@example.org"]]
    assert target.notifications.filter(kind="security.mfa_reset").exists()


def test_actions_need_users_manage(staff_client, target):
    privacy, _user = staff_client(Role.PRIVACY_OFFICER)
    response = privacy.post(CHANGELIST, {"action": "deactivate", "_selected_action": [target.pk]})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active is True


def test_assign_roles(staff_client, target):
    admin, admin_user = staff_client(Role.ADMINISTRATOR)
    url = f"/console/accounts/user/{target.pk}/roles/"
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"roles": ["privacy_officer"]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.roles == {Role.MEMBER, Role.PRIVACY_OFFICER}
    event = AuditEvent.objects.get(action="staff.user_roles_changed")
    assert event.metadata == {"added": ["privacy_officer"], "removed": []}

    own = admin.post(f"/console/accounts/user/{admin_user.pk}/roles/", {"roles": []})
    assert own.status_code == 200  # re-rendered with the error
    admin_user.refresh_from_db()
    assert Role.ADMINISTRATOR in admin_user.roles

    privacy, _user = staff_client(Role.PRIVACY_OFFICER, "po2@example.org")
    assert privacy.post(url, {"roles": ["administrator"]}).status_code == 403


def test_console_pages_write_no_unhashed_admin_log(staff_client, target):
    admin, _user = staff_client(Role.ADMINISTRATOR)
    _action(admin, "deactivate", target)
    assert LogEntry.objects.count() == 0


def test_read_only_pages_refuse_changes(staff_client, member):
    auditor, _user = staff_client(Role.AUDITOR)
    event = AuditEvent.objects.order_by("id").first()
    if event is None:
        from videocall.audit.actions import AuditAction
        from videocall.audit.services import audit_record

        event = audit_record(actor=None, action=AuditAction.STAFF_AUDIT_CHAIN_BROKEN)
    page = auditor.get(f"/console/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert auditor.post(f"/console/audit/auditevent/{event.pk}/change/", {"action": "x"}).status_code == 403
    assert auditor.post(f"/console/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_console_sign_in_goes_through_the_account_pages(member_client, staff_client):
    client = Client()
    response = client.get("/console/")
    assert response["Location"] == "/console/login/?next=/console/"
    handover = client.get("/console/login/?next=/console/accounts/user/")
    assert handover.status_code == 302
    assert handover["Location"] == "/accounts/login/?next=/console/accounts/user/"
    offsite = client.get("/console/login/?next=https://evil.example/console/")
    assert offsite["Location"] == "/accounts/login/?next=/console/"
    assert member_client.get("/console/login/?next=/console/").status_code == 403
    admin, _user = staff_client(Role.ADMINISTRATOR)
    assert admin.get("/console/login/?next=/console/settings/")["Location"] == "/console/settings/"


def test_console_refusals_are_audited(staff_client, member_client, target):
    support, agent = staff_client(Role.SUPPORT_AGENT)
    assert support.get(CHANGELIST).status_code == 403
    event = AuditEvent.objects.get(action="staff.console_denied")
    assert event.actor_id == agent.pk
    assert event.metadata == {"route": "admin:accounts_user_changelist", "method": "GET"}
    assert member_client.get("/console/login/").status_code == 403
    assert AuditEvent.objects.filter(action="staff.console_denied").count() == 2
