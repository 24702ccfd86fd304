from __future__ import annotations

import pytest

from videocall.accounts.models import Device
from videocall.core.datamap import erasers, exporters
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set
from videocall.telemetry.models import AccessLogEntry, CrashReport
from videocall.telemetry.services import crash_project_create, crash_report_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(member, make_user):
    other = make_user("other@example.org")
    for user in (member, other):
        AccessLogEntry.objects.create(
            user=user, method="GET", route="home", status=200, latency_ms=1, ip="81.2.69.160", country="GB"
        )
        Device.objects.create(user=user, platform="ios", model="iPhone", push_token="secret-push")
        consent_set(
            actor=user, user=user, purpose=ConsentPurpose.CRASH_REPORT_DETAIL, granted=True, channel="app"
        )
    project = crash_project_create(actor=None, name="App", platform="ios")
    for user in (member, other):
        crash_report_ingest(
            actor=None,
            project=project,
            event={"message": "boom", "user": {"id": str(user.pk)}},
            request_ip="81.2.69.160",
        )
    return other


def test_export_holds_the_users_own_access_log_and_crash_reports(member, data):
    sections = {s.name: list(s.rows) for s in exporters()["telemetry"](member)}
    assert set(sections) == {"access_log", "crash_reports"}  # devices: accounts' exporter
    assert len(sections["access_log"]) == 1 and sections["access_log"][0]["ip_address"] == "81.2.69.160"
    assert len(sections["crash_reports"]) == 1 and sections["crash_reports"][0]["message"] == "boom"


def test_erasure_deletes_the_users_telemetry_only(member, data):
    erase = dict(erasers())["telemetry"]
    assert getattr(erase, "erase_order", None) == 100
    counts = erase(user=member, holds=[])
    assert counts == {"access_log": 1, "crash_reports": 1}
    assert not AccessLogEntry.objects.filter(user=member).exists()
    assert Device.objects.filter(user=member).exists()  # devices: accounts' eraser
    assert not CrashReport.objects.filter(user=member).exists()
    assert AccessLogEntry.objects.filter(user=data).count() == 1
    assert CrashReport.objects.filter(user=data).count() == 1


def test_erasure_keeps_what_a_legal_hold_names(member, data):
    counts = dict(erasers())["telemetry"](user=member, holds=["activity"])
    assert counts["access_log"] == 0 and AccessLogEntry.objects.filter(user=member).exists()
    assert counts["crash_reports"] == 1
