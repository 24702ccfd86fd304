import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from videocall.audit.actions import AuditAction
from videocall.audit.models import AuditEvent
from videocall.audit.services import audit_record, audit_verify


@pytest.mark.django_db
def test_chain_verifies_and_detects_an_edit(member):
    for i in range(5):
        audit_record(
            actor=member, action=AuditAction.AUTH_LOGIN, subject=member, metadata={"n": i}, ip_country="de"
        )
    assert audit_verify().ok
    call_command("audit_verify")

    target = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET metadata = %s WHERE id = %s", ['{"n": 99}', target.pk])
    report = audit_verify()
    assert report.broken_at == target.pk
    with pytest.raises(CommandError, match=f"#{target.pk}"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_chain_detects_a_deleted_row(member):
    for i in range(4):
        audit_record(actor=member, action=AuditAction.AUTH_LOGIN, metadata={"n": i})
    victim = AuditEvent.objects.order_by("id")[1]
    following = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    assert audit_verify().broken_at == following.pk


@pytest.mark.django_db
def test_rows_are_append_only(member):
    event = audit_record(actor=member, action=AuditAction.AUTH_LOGIN)
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert event.ip_country == ""
    assert audit_record(actor=None, action=AuditAction.AUTH_LOGIN_FAILED).actor_kind == "system"
    assert audit_record(actor="jitsi", action=AuditAction.MEETINGS_EVENT_INGESTED).actor_kind == "jitsi"
