"""Site settings page and the security incident register (R16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from videocall.accounts.models import SiteSettings
from videocall.accounts.selectors import site_config
from videocall.audit.models import AuditEvent
from videocall.core.permissions import Role
from videocall.staff.models import Incident

pytestmark = pytest.mark.django_db

SETTINGS = "/console/settings/"
INCIDENTS = "/console/staff/incident/"


def test_site_settings_page(staff_client, settings):
    settings.JITSI_MODE = "jaas"
    settings.JITSI_APP_SECRET = "very-secret-jitsi-value"
    settings.JITSI_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----abc"
    admin, admin_user = staff_client(Role.ADMINISTRATOR)
    page = admin.get(SETTINGS).content.decode()
    assert "very-secret-jitsi-value" not in page and "BEGIN PRIVATE KEY" not in page
    assert "jaas" in page
    assert "closed_tickets" in page  # retention rules, read-only

    assert site_config().from_console is False
    response = admin.post(SETTINGS, {"registration_mode": "invite-only", "minimum_age": "16"})
    assert response.status_code == 302
    config = site_config()
    assert (config.registration_mode, config.minimum_age, config.from_console) == ("invite-only", 16, True)
    event = AuditEvent.objects.get(action="staff.site_settings_changed")
    assert event.actor_id == admin_user.pk
    assert event.metadata["fields"] == ["registration_mode", "minimum_age"]

    bad = admin.post(SETTINGS, {"registration_mode": "invite-only", "minimum_age": "9"})
    assert bad.status_code == 200
    assert SiteSettings.objects.get().minimum_age == 16


def test_site_settings_need_their_permissions(staff_client):
    auditor, _user = staff_client(Role.AUDITOR)
    assert auditor.get(SETTINGS).status_code == 403
    privacy, _user = staff_client(Role.PRIVACY_OFFICER)
    assert privacy.post(SETTINGS, {"registration_mode": "closed", "minimum_age": "13"}).status_code == 403
    assert not SiteSettings.objects.exists()


def _incident_form(**overrides):
    data = {
        "title": "Backup bucket briefly public",
        "description": "Object storage ACL allowed listing for 20 minutes.",
        "aware_at_0": (timezone.now() - timedelta(hours=5)).strftime("%Y-%m-%d"),
        "aware_at_1": (timezone.now() - timedelta(hours=5)).strftime("%H:%M:%S"),
        "severity": "high",
        "affected_categories": ["contact", "identity"],
        "affected_count": "120",
        "authority_reference": "",
        "users_decision": "pending",
        "users_decision_reason": "",
        "status": "open",
    }
    data.update(overrides)
    return data


def test_incident_register(staff_client):
    privacy, officer = staff_client(Role.PRIVACY_OFFICER)
    response = privacy.post(f"{INCIDENTS}add/", _incident_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.get()
    assert incident.created_by_id == officer.pk
    assert incident.affected_categories == ["contact", "identity"]
    created = AuditEvent.objects.get(action="staff.incident_created")
    assert created.metadata == {"severity": "high", "categories": ["contact", "identity"]}

    # Free text is encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, description FROM staff_incident")
        raw = " ".join(cursor.fetchone())
    assert "Backup bucket" not in raw and "storage ACL" not in raw

    listing = privacy.get(INCIDENTS).content.decode()
    assert "min left" in listing  # the 72-hour deadline with the time remaining

    # A decision on notifying users needs a reason; the date is recorded.
    refused = privacy.post(f"{INCIDENTS}{incident.pk}/change/", _incident_form(users_decision="not_required"))
    assert refused.status_code == 200
    incident.refresh_from_db()
    assert incident.users_decision == "pending"
    decided = privacy.post(
        f"{INCIDENTS}{incident.pk}/change/",
        _incident_form(
            users_decision="not_required",
            users_decision_reason="Encrypted backups; no key exposure: no high risk to people.",
            status="closed",
            authority_notified_at_0=timezone.now().strftime("%Y-%m-%d"),
            authority_notified_at_1=timezone.now().strftime("%H:%M:%S"),
        ),
    )
    assert decided.status_code == 302
    incident.refresh_from_db()
    assert incident.users_decision == "not_required" and incident.users_decision_at is not None
    assert incident.status == "closed"
    assert incident.authority_time_left() is None
    updated = AuditEvent.objects.get(action="staff.incident_updated")
    assert "users_decision" in updated.metadata["fields"] and "status" in updated.metadata["fields"]
    assert "authority notified" in privacy.get(INCIDENTS).content.decode()


def test_incident_deadline_overdue():
    incident = Incident(title="x", severity="low", aware_at=timezone.now() - timedelta(hours=80))
    left = incident.authority_time_left()
    assert left is not None and left < timedelta(0)
    assert incident.authority_deadline == incident.aware_at + timedelta(hours=72)


def test_incident_permissions(staff_client):
    auditor, _user = staff_client(Role.AUDITOR)
    assert auditor.get(INCIDENTS).status_code == 200
    assert auditor.get(f"{INCIDENTS}add/").status_code == 403
    assert auditor.post(f"{INCIDENTS}add/", _incident_form()).status_code == 403
    support, _user = staff_client(Role.SUPPORT_AGENT)
    assert support.get(INCIDENTS).status_code == 403
    admin, _user = staff_client(Role.ADMINISTRATOR)
    assert admin.post(f"{INCIDENTS}add/", _incident_form()).status_code == 302
    incident = Incident.objects.get()
    assert admin.post(f"{INCIDENTS}{incident.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Incident.objects.count() == 1
