"""schemathesis fuzzes every operation of /api/v1/openapi.json with a signed-in member session:
no 5xx and no schema violations. The number of cases is printed (run with -s to see it in CI)."""

from __future__ import annotations

import pytest
from django.core.wsgi import get_wsgi_application

from tests.security.fuzz import fuzz, member_credentials

MAX_EXAMPLES = 25  # per operation: keeps the run well under two minutes


@pytest.mark.django_db(transaction=True)
def test_api_fuzz(client, member, capsys, record_property):
    headers, cookies = member_credentials(client, member)
    report = fuzz(
        get_wsgi_application(),
        "/api/v1/openapi.json",
        headers=headers,
        cookies=cookies,
        max_examples=MAX_EXAMPLES,
    )
    summary = (
        f"schemathesis: {report.operations} API operations, {report.cases} cases, "
        f"{len(report.failures)} failures"
    )
    record_property("ci_summary", summary)  # tests/conftest.py prints it after the results, also under xdist
    with capsys.disabled():
        print(f"\n{summary}")
    assert report.failures == [], "\n".join(report.failures)
    if report.operations:
        assert report.cases >= report.operations


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.security.fuzz_probe_urls")
def test_fuzzer_reports_a_server_error(client, member):
    headers, cookies = member_credentials(client, member)
    report = fuzz(
        get_wsgi_application(), "/probe-api/openapi.json", headers=headers, cookies=cookies, max_examples=30
    )
    assert report.operations == 2
    assert len(report.failures) == 1, report.failures
    assert report.failures[0].startswith("GET /probe-api/divide"), report.failures
    assert "500" in report.failures[0] or "Server error" in report.failures[0]
