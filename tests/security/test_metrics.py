"""/metrics: Prometheus text behind a bearer token or an allow-listed network."""

from __future__ import annotations

import pytest

from videocall.core.metrics import WEBHOOK_ERRORS


@pytest.fixture
def metrics_settings(settings):
    settings.VIDEOCALL_METRICS_TOKEN = "metrics-token-for-tests"
    settings.VIDEOCALL_METRICS_ALLOW_IPS = ["10.20.0.0/16"]
    return settings


@pytest.mark.django_db
def test_metrics_need_the_token_or_an_allowed_network(client, metrics_settings):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", REMOTE_ADDR="10.30.0.1").status_code == 401
    assert client.get("/metrics", REMOTE_ADDR="10.20.4.5").status_code == 200
    ok = client.get("/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"})
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_metrics_count_requests_jobs_and_webhook_errors(client, metrics_settings, member_client):
    from videocall.staff.tasks import audit_chain_verify

    client.get("/healthz")
    member_client.get("/")
    audit_chain_verify.delay()
    WEBHOOK_ERRORS.labels(source="jitsi", reason="signature").inc()
    body = client.get(
        "/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"}
    ).content.decode()
    assert 'videocall_http_requests_total{method="GET",route="healthz",status="200"}' in body
    assert 'videocall_http_request_duration_seconds_bucket{le="0.01",route="home"}' in body
    assert 'videocall_celery_tasks_total{state="success",task="staff.audit_chain_verify"}' in body
    assert 'videocall_webhook_errors_total{reason="signature",source="jitsi"}' in body
    # Paths never appear as labels (they can carry ids): only route names.
    assert "/healthz" not in body
