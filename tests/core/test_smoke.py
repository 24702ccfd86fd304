def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_home_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Video calls that respect your privacy" in response.content


def test_readyz_checks_database_and_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_reports_an_unreachable_broker(client, db, settings, monkeypatch):
    from videocall.config.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    monkeypatch.setattr(app.conf, "broker_url", settings.CELERY_BROKER_URL)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unreachable"
