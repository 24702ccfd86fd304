import json

import pytest
from django.test import Client, RequestFactory
from ninja.errors import ValidationError

from videocall.config.api import api
from videocall.core.errors import Conflict, ValidationFailed


def test_unknown_api_path_is_problem_json(client, db):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (
        body["status"] == 404 and body["code"] == "not_found" and body["instance"] == "/api/v1/does-not-exist"
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/meetings/00000000-0000-0000-0000-000000000001/co-hosts/-1"),
        ("patch", "/api/v1/telemetry/devices/-3"),
        ("post", "/api/v1/does-not-exist"),
    ],
)
def test_unmatched_api_writes_with_a_session_cookie_are_404_problems_not_csrf_pages(member, method, path):
    """A path whose parameters match no operation (a negative id) falls to the /api/ catch-all: a
    cookie-session write without a CSRF token gets its 404 problem, not Django's HTML CSRF page."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = getattr(browser, method)(path, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/browser/v1/auth/session",  # allauth headless: refused by Django's CSRF middleware
        "/api/v1/me/sessions/revoke-others",  # a ninja operation: refused by its session auth
    ],
)
def test_api_csrf_failures_are_problems(member, path):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(path, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "csrf_failed" and body["status"] == 403 and body["instance"] == path


def test_website_csrf_failure_keeps_the_html_page(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post("/account/sessions/revoke-others/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert b"CSRF" in response.content


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "VideoCall Network API"


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Conflict("already there"), 409, "conflict"),
        (ValidationFailed("bad", fields={"title": ["too long"]}), 422, "validation_failed"),
    ],
)
def test_application_errors_render_as_problems(error, status, code):
    request = RequestFactory().get("/api/v1/x")
    response = api.on_exception(request, error)
    body = json.loads(response.content)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert body["code"] == code and body["type"].endswith(code)
    if code == "validation_failed":
        assert body["errors"] == [{"field": "title", "message": "too long"}]


def test_validation_errors_name_their_fields():
    request = RequestFactory().post("/api/v1/x")
    error = ValidationError(
        [{"loc": ("body", "payload", "title"), "msg": "Field required", "type": "missing"}]
    )
    response = api.on_exception(request, error)
    body = json.loads(response.content)
    assert response.status_code == 422
    assert body["errors"] == [{"field": "title", "message": "Field required"}]
