def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_home_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Video calls that respect your privacy" in response.content
