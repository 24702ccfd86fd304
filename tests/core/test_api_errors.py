import json

import pytest
from django.test import RequestFactory
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
