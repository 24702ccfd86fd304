"""The meetings API under schemathesis: whatever the input, never a 5xx.

The platform's schema declares allauth's security schemes in a form schemathesis refuses, so the test
loads the schema without them and calls the WSGI app directly (a signed-in session for every case)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings


def _schema() -> dict:
    from django.test import Client

    raw = json.loads(Client().get("/api/v1/openapi.json").content)
    raw.get("components", {}).pop("securitySchemes", None)
    for operations in raw["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return raw


@pytest.mark.django_db
def test_meetings_api_never_errors(make_user, client, settings):
    settings.JITSI_WEBHOOK_SECRET = "whsec_fuzz"
    client.force_login(make_user("fuzz@example.org"))
    schema = schemathesis.openapi.from_dict(_schema()).include(path_regex="^/api/v1/meetings/")
    failures: list[str] = []
    seen: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case):
            kwargs = case.as_transport_kwargs(base_url="http://testserver")
            path = kwargs["url"].removeprefix("http://testserver")
            body = kwargs.get("json")
            response = client.generic(
                kwargs["method"],
                path,
                data=json.dumps(body) if body is not None else b"",
                content_type="application/json",
                QUERY_STRING="&".join(f"{k}={v}" for k, v in (kwargs.get("params") or {}).items()),
            )
            seen.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {path}: {response.status_code}")

        run()
    assert failures == []
    assert len(seen) > 3 * len(operations), seen
