"""Every alert of docs/operations.md ("Alert list") that reads a metric can fire: for each, the code path
that counts the metric is driven to make the alert's condition true, and the value /metrics exposes
changes. A test fails when the list names a metric no test here drives."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from celery import shared_task
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.security.servers import self_signed

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
TOKEN = "metrics-token-for-alert-tests"


def alert_metrics() -> dict[str, set[str]]:
    """alert name -> the metric names its condition reads, from the Alert list table."""
    text = OPERATIONS.read_text(encoding="utf-8")
    table = text.split("### Alert list", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in {"alert", ""} or set(cells[0]) <= {"-"}:
            continue
        metrics = {re.sub(r"_bucket$", "", m) for m in re.findall(r"videocall_[a-z_]+", cells[1])}
        if metrics:
            found[cells[0]] = metrics
    return found


def scrape(client: Client) -> list[tuple[str, dict[str, str], float]]:
    body = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content.decode()
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    ]


def value(samples: list[tuple[str, dict[str, str], float]], name: str, **labels: str) -> float:
    return sum(v for n, lab, v in samples if n == name and labels.items() <= lab.items())


@shared_task(name="tests.security.always_fails")
def always_fails() -> None:
    raise RuntimeError("this job cannot succeed")


# --- one driver per alert: make the condition true, say which sample must move ---------------------


def _server_errors(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    ctx.settings.ROOT_URLCONF = "tests.security.alerts_urls"
    response = Client(raise_request_exception=False).get("/probe/failing/")
    assert response.status_code == 500
    return [("videocall_http_requests_total", {"status": "500", "route": "probe_failing"})]


def _slow_responses(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    import videocall.core.metrics as metrics

    clock = iter([1000.0, 1001.5])  # the request takes 1.5 s by the middleware's clock
    ctx.monkeypatch.setattr(metrics, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    Client().get("/healthz")
    ctx.monkeypatch.undo()
    ctx.unchanged = [("videocall_http_request_duration_seconds_bucket", {"route": "healthz", "le": "1.0"})]
    return [("videocall_http_request_duration_seconds_bucket", {"route": "healthz", "le": "2.5"})]


def _authentication_failures(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    web = Client().post("/accounts/login/", {"login": ctx.member.email, "password": "wrong password"})
    assert web.status_code == 200  # the website re-renders the form: no 4xx to count, hence the counter
    app = Client().post(
        "/api/v1/auth/app/v1/auth/login",
        {"email": ctx.member.email, "password": "wrong password"},
        content_type="application/json",
    )
    assert app.status_code == 400
    ctx.by = 2
    return [("videocall_login_failures_total", {})]


def _authorization_refusals(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    client = Client()
    client.force_login(ctx.member)
    assert client.get("/notifications/jobs/").status_code == 403
    return [("videocall_http_requests_total", {"status": "403"})]


def _jobs_failing(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    assert always_fails.apply(throw=False).failed()  # as in a worker: the failure is recorded, not raised
    return [("videocall_celery_tasks_total", {"task": "tests.security.always_fails", "state": "failure"})]


def _jobs_not_running(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    """The alert fires when this counter stops moving; it moves each time the hourly job runs."""
    from videocall.staff.tasks import audit_chain_verify

    assert audit_chain_verify.apply().get()["ok"] is True
    return [("videocall_celery_tasks_total", {"task": "staff.audit_chain_verify", "state": "success"})]


def _webhook_errors(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    ctx.settings.JITSI_WEBHOOK_SECRET = "webhook-secret-for-tests"
    response = Client().post(
        "/api/v1/meetings/webhooks/jaas",
        b"{}",
        content_type="application/json",
        headers={"X-Jaas-Signature": "t=1,v1=forged"},
    )
    assert response.status_code == 401
    return [("videocall_webhook_errors_total", {"source": "jaas", "reason": "signature"})]


def _audit_chain_broken(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    from videocall.audit.actions import AuditAction
    from videocall.audit.models import AuditEvent
    from videocall.audit.services import audit_record
    from videocall.staff.tasks import audit_chain_verify

    for _n in range(3):
        audit_record(actor=ctx.member, action=AuditAction.AUTH_LOGIN)
    tampered = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=tampered.pk).update(action="test.rewritten")  # bypasses save()
    assert audit_chain_verify.apply().get()["ok"] is False
    return [("videocall_audit_chain_breaks_total", {})]


def _tls_expiry(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    """A certificate that expires in 10 days: the gauge shows a time less than 14 days from now."""
    cert, _key = self_signed(ctx.tmp, days=10, age_days=80)
    ctx.settings.VIDEOCALL_TLS_CERTFILE = str(cert)
    samples = scrape(Client())
    expiry = value(samples, "videocall_tls_certificate_expiry_timestamp_seconds")
    assert 0 < expiry - time.time() < 14 * 86400  # the alert's condition holds
    return [("videocall_tls_certificate_expiry_timestamp_seconds", {})]


def _incident_deadline(ctx: Any) -> list[tuple[str, dict[str, str]]]:
    """An open incident, 50 hours old, authority not notified: 22 hours left, under the 24-hour mark;
    a closed one and a notified one do not count."""
    from datetime import timedelta

    from django.utils import timezone

    from videocall.staff.models import Incident

    now = timezone.now()
    Incident.objects.create(title="near", severity="high", aware_at=now - timedelta(hours=50))
    Incident.objects.create(title="fresh", severity="high", aware_at=now - timedelta(hours=2))
    Incident.objects.create(
        title="notified", severity="high", aware_at=now - timedelta(hours=60), authority_notified_at=now
    )
    Incident.objects.create(
        title="closed", severity="low", aware_at=now - timedelta(hours=70), status=Incident.Status.CLOSED
    )
    assert value(scrape(Client()), "videocall_incidents_authority_deadline_near") == 1
    return [("videocall_incidents_authority_deadline_near", {})]


DRIVERS: dict[str, Callable[[Any], list[tuple[str, dict[str, str]]]]] = {
    "Server errors": _server_errors,
    "Slow responses": _slow_responses,
    "Authentication failures spike": _authentication_failures,
    "Authorization refusals spike": _authorization_refusals,
    "Background jobs failing": _jobs_failing,
    "Jobs not running": _jobs_not_running,
    "Webhook errors": _webhook_errors,
    "Audit chain broken": _audit_chain_broken,
    "TLS certificate expiry": _tls_expiry,
    "Incident deadline near": _incident_deadline,
}


def test_every_metric_alert_has_a_test_that_makes_it_fire():
    alerts = alert_metrics()
    assert len(alerts) >= 10, alerts  # the table was found and read
    assert set(alerts) == set(DRIVERS)


@pytest.mark.parametrize("alert", sorted(DRIVERS))
def test_alert_condition_can_become_true(
    alert, settings, monkeypatch, member, django_capture_on_commit_callbacks, tmp_path
):
    settings.VIDEOCALL_METRICS_TOKEN = TOKEN
    reader = Client()
    ctx = SimpleNamespace(
        settings=settings, monkeypatch=monkeypatch, member=member, unchanged=[], by=1, tmp=tmp_path
    )
    before = scrape(reader)
    with django_capture_on_commit_callbacks(execute=True):
        moved = DRIVERS[alert](ctx)
    after = scrape(reader)
    for name, labels in moved:
        assert name.removesuffix("_bucket") in alert_metrics()[alert]
        assert value(after, name, **labels) - value(before, name, **labels) >= ctx.by, (name, labels)
    for name, labels in ctx.unchanged:
        assert value(after, name, **labels) == value(before, name, **labels), (name, labels)
