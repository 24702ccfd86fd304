"""Retention and erasure of the staff app's own records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from videocall.audit.models import ChainCheck
from videocall.core.datamap import erasers
from videocall.core.permissions import Role
from videocall.staff.models import Incident, RevealRecord
from videocall.staff.services import incident_create, pii_reveal
from videocall.staff.tasks import retention_sweep

pytestmark = pytest.mark.django_db


def test_retention_sweep_deletes_what_is_due(make_user, target, settings):
    admin_user = make_user("admin@staff.example.org", roles=[Role.ADMINISTRATOR])
    pii_reveal(actor=admin_user, subject=target, field="email", reason="Ticket 1: confirm address")
    pii_reveal(actor=admin_user, subject=target, field="email", reason="Ticket 2: confirm address")
    old = RevealRecord.objects.order_by("id").first()
    RevealRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3000))
    ChainCheck.objects.create(ok=True, checked=1, checked_at=timezone.now() - timedelta(days=3000))
    ChainCheck.objects.create(ok=True, checked=2)
    assert retention_sweep.delay().get() == {"reveal_records": 1, "chain_checks": 1}
    assert RevealRecord.objects.count() == 1 and ChainCheck.objects.count() == 1


def test_eraser_keeps_the_records_and_cuts_the_link(make_user, target):
    officer = make_user("po@staff.example.org", roles=[Role.PRIVACY_OFFICER])
    pii_reveal(actor=officer, subject=target, field="email", reason="Ticket 3: privacy request check")
    incident_create(actor=officer, title="Lost laptop", severity="medium")
    eraser = dict(erasers())["staff"]
    assert eraser(user=officer, holds=[]) == {"reveal_records": 1, "incidents": 1}
    record = RevealRecord.objects.get()
    assert (record.actor_id, record.reason, record.field) == (None, "", "email")
    assert Incident.objects.get().created_by_id is None
