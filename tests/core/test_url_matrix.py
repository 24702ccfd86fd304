"""The role x URL matrix: every URL pattern has an access rule, and every role gets what the rule says."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from videocall.core.access import Access, collect_rules, rule_for
from videocall.core.permissions import ROLE_PERMISSIONS, Perm, Role

SAMPLE_VALUES = {"int": 987654, "str": "sample", "slug": "sample", "uuid": uuid.UUID(int=1), "path": "sample"}


@dataclass
class Endpoint:
    name: str
    url: str


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found.extend(_walk(entry.url_patterns, child_ns))
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            found.append((f"{namespace}:{name}" if namespace else name, entry))
    return found


def _kwargs(pattern: Any) -> dict[str, Any] | None:
    if isinstance(pattern.pattern, RoutePattern):
        return {
            key: SAMPLE_VALUES.get(type(conv).__name__.replace("Converter", "").lower(), "sample")
            for key, conv in pattern.pattern.converters.items()
        }
    if isinstance(pattern.pattern, RegexPattern):
        return dict.fromkeys(pattern.pattern.regex.groupindex, "1")
    return None


def endpoints() -> list[Endpoint]:
    result: list[Endpoint] = []
    seen: set[str] = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        if not name or name.endswith(":") or name in seen:
            continue
        seen.add(name)
        kwargs = _kwargs(pattern) or {}
        try:
            url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except Exception:
            url = ""
        result.append(Endpoint(name, url))
    return result


ALL_ENDPOINTS = endpoints()
RULES = collect_rules()
CALLERS = ["anonymous", *[r.value for r in Role]]


def test_every_url_has_an_access_rule():
    # The admin's own unnamed redirects (old change URLs, catch-all) fall under its login check.
    unnamed = [
        p
        for n, p in _walk(get_resolver().url_patterns)
        if (not n or n.endswith(":")) and not n.startswith("admin:")
    ]
    assert unnamed == [], f"URL patterns without a name cannot be checked: {unnamed}"
    missing = [e.name for e in ALL_ENDPOINTS if rule_for(e.name, RULES) is None]
    assert missing == [], f"URLs without an entry in any <app>/access.py URL_ACCESS: {missing}"


def _allowed(rule: Any, caller: str) -> bool:
    if rule in (Access.PUBLIC, Access.FRAMEWORK):
        return True
    if caller == "anonymous":
        return False
    if rule is Access.AUTHENTICATED:
        return True
    if isinstance(rule, Perm):
        return rule in ROLE_PERMISSIONS[Role(caller)]
    return False  # SECRET: nobody without the secret


def _denied_status(response: Any, url: str) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code == 302:
        location = response.headers.get("Location", "")
        return (
            "login" in location
            or "/accounts/" in location
            or "reauthenticate" in location
            or "/mfa/" in location
        )
    return False


def _request(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:
        response = (
            client.post(url, data={}, content_type="application/json" if url.startswith("/api/") else None)
            if url.startswith("/api/")
            else client.post(url, data={})
        )
    return response


@pytest.fixture
def caller_client(client, make_user, request):
    caller = request.param
    client.raise_request_exception = False
    if caller != "anonymous":
        user = make_user(f"{caller}@example.org", roles=[Role(caller)])
        client.force_login(user)
        session = client.session
        # Staff pages require MFA; the matrix checks permissions, so the session counts as MFA-verified.
        session["account_authentication_methods"] = [
            {"method": "password", "at": 2e9, "email": f"{caller}@example.org"},
            {"method": "mfa", "type": "totp", "at": 2e9},
        ]
        session.save()
    return caller, client


@pytest.mark.django_db
@pytest.mark.parametrize("caller_client", CALLERS, indirect=True)
def test_role_url_matrix(caller_client):
    caller, client = caller_client
    failures: list[str] = []
    for endpoint in ALL_ENDPOINTS:
        rule = rule_for(endpoint.name, RULES)
        if rule is None or not endpoint.url:
            continue
        response = _request(client, endpoint.url)
        if response.status_code >= 500:
            failures.append(f"{endpoint.name} {endpoint.url}: {response.status_code}")
            continue
        if rule is Access.FRAMEWORK:
            continue
        allowed = _allowed(rule, caller)
        denied = _denied_status(response, endpoint.url)
        if allowed and denied and response.status_code != 404:
            failures.append(
                f"{endpoint.name} {endpoint.url}: {caller} should be allowed, got {response.status_code}"
            )
        if not allowed and not denied:
            failures.append(
                f"{endpoint.name} {endpoint.url}: {caller} should be refused, got {response.status_code}"
            )
    assert failures == [], "\n".join(failures)
