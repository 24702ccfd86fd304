"""Fuzzing the API in-process from its OpenAPI schema with schemathesis (no server, no network)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
import werkzeug.test
from hypothesis import HealthCheck, Phase
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Err

# Every built-in check stays on. One policy is ours: a request the schema allows may still break a
# rule no JSON schema can state (a meeting ending before it starts: 422; an upload that is not really
# an image: 415; too large once decoded: 413); the API answers those with problem+json and a stable code.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "413", "415", "422", "429"]
            }
        }
    }
)


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
    schema = schemathesis.openapi.from_wsgi(schema_path, app, config=CONFIG)
    report = FuzzReport()
    for result in schema.get_all_operations():
        report.operations += 1
        if isinstance(result, Err):  # an operation schemathesis cannot even read is a failure too
            error = result.err()
            report.failures.append(f"invalid operation schema: {' '.join(str(error).split())[:400]}")
            continue
        operation = result.ok()

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
            # A fresh client (empty cookie jar) per case: cookies set by one response must not turn
            # the next request into a cookie-session request. werkzeug's environ has no REMOTE_ADDR;
            # a real server always sets it.
            case.call_and_validate(
                session=werkzeug.test.Client(app),
                headers=headers,
                cookies=cookies or None,
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
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
    """The headers of a signed-in app session: allauth's headless ``X-Session-Token`` (the session
    key of a server-side session). No cookies, so the fuzzer's invalid-credential checks are meaningful."""
    from django.conf import settings

    client.force_login(user)
    return {"X-Session-Token": client.cookies[settings.SESSION_COOKIE_NAME].value}, {}
