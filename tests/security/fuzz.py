"""Fuzzing the API in-process from its OpenAPI schema with schemathesis (no server, no network)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase


@dataclass
class FuzzReport:
    operations: int = 0
    cases: int = 0
    failures: list[str] = field(default_factory=list)


def fuzz(
    app: Any,
    schema_path: str,
    *,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    max_examples: int = 25,
) -> FuzzReport:
    """Generate cases for every operation of the schema at ``schema_path`` and run every
    schemathesis check on each response (no 5xx, status codes, content types and bodies that match
    the schema, invalid input refused). Returns the number of cases and the failures."""
    schema = schemathesis.openapi.from_wsgi(schema_path, app)
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()
        report.operations += 1

        @hypothesis.settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            report_multiple_bugs=False,
        )
        @hypothesis.given(case=operation.as_strategy())
        def run(case: Any) -> None:
            report.cases += 1
            # werkzeug's test environ has no REMOTE_ADDR; a real server always sets it.
            case.call_and_validate(
                headers=headers, cookies=cookies, environ_base={"REMOTE_ADDR": "127.0.0.1"}
            )

        try:
            run()
        except BaseException as exc:  # a failed check (schemathesis raises an exception group)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            summary = " ".join(str(exc).split())[:400]
            report.failures.append(f"{operation.label}: {type(exc).__name__}: {summary}")
    return report


def member_credentials(client: Any, user: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies of a signed-in website session with a CSRF token (SessionAuth(csrf=True))."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    client.force_login(user)
    csrf = _get_new_csrf_string()
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return {"X-CSRFToken": csrf}, cookies
