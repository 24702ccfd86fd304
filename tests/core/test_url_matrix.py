"""The role x URL matrix: every URL pattern (web, API, staff console) has an access rule, and every
caller (anonymous, member, each staff role) gets what the rule says.

The machinery is three functions, so a test can run it against any URLconf: :func:`endpoints`,
:func:`missing_rules` and :func:`matrix_failures`. ``test_matrix_reports_unprotected_urls`` proves it
turns red on a URL without a rule and on a view that declares a permission but does not check it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from videocall.core.access import Access, AnyPerm, Rule, collect_rules, rule_for
from videocall.core.permissions import ROLE_PERMISSIONS, Perm, Role

SAMPLE_VALUES = {"int": 987654, "str": "sample", "slug": "sample", "uuid": uuid.UUID(int=1), "path": "sample"}
CALLERS = ["anonymous", *[r.value for r in Role]]


@dataclass
class Endpoint:
    name: str
    url: str
    # The HTTP methods of an API operation (django-ninja routes several operations through one path);
    # empty for other views, which are called with GET, then with a method their 405 allows.
    methods: tuple[str, ...] = ()


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


def _regex_sample(regex: str, group: str) -> str:
    """For ``(?P<app_label>accounts|audit)`` the first alternative; otherwise "1"."""
    match = re.search(rf"\(\?P<{group}>([^)]*)\)", regex)
    if match:
        first = match.group(1).split("|")[0]
        if re.fullmatch(r"[\w-]+", first):
            return first
    return "1"


def _converter_sample(converter: Any) -> Any:
    """A value the converter accepts: the sample for its type, else the first candidate whose URL form
    matches the converter's regex (custom converters such as django-ninja's ``uuidstr``)."""
    kind = type(converter).__name__.removesuffix("Converter").lower()
    candidates = [SAMPLE_VALUES[kind]] if kind in SAMPLE_VALUES else []
    candidates += [value for value in SAMPLE_VALUES.values() if value not in candidates]
    for value in candidates:
        try:
            text = str(converter.to_url(value))
        except Exception:  # noqa: S112 - a candidate the converter refuses; try the next one
            continue
        if re.fullmatch(converter.regex, text):
            return value
    raise ValueError(f"no sample value for converter {type(converter).__name__}")


def _kwargs(pattern: Any) -> dict[str, Any]:
    if isinstance(pattern.pattern, RoutePattern):
        return {key: _converter_sample(conv) for key, conv in pattern.pattern.converters.items()}
    if isinstance(pattern.pattern, RegexPattern):
        regex = pattern.pattern.regex
        return {group: _regex_sample(regex.pattern, group) for group in regex.groupindex}
    return {}


def _operation_methods(name: str, pattern: Any) -> tuple[str, ...]:
    """The methods of the django-ninja operation named ``name`` (its view closes over the PathView)."""
    leaf = name.rsplit(":", 1)[-1]
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        try:
            operations = getattr(cell.cell_contents, "operations", None)
        except ValueError:  # an empty cell
            continue
        for operation in operations or ():
            if (getattr(operation, "url_name", "") or operation.view_func.__name__) == leaf:
                return tuple(operation.methods)
    return ()


def _patterns(urlconf: str | None) -> list[tuple[str, Any]]:
    return _walk(get_resolver(urlconf).url_patterns)


def endpoints(urlconf: str | None = None) -> list[Endpoint]:
    """Every named URL pattern, reversed with sample values for its parameters ("" if impossible)."""
    result: list[Endpoint] = []
    seen: set[str] = set()
    for name, pattern in _patterns(urlconf):
        if not name or name.endswith(":") or name in seen:
            continue
        seen.add(name)
        try:
            kwargs = _kwargs(pattern)
            url = reverse(name, urlconf=urlconf, kwargs=kwargs) if kwargs else reverse(name, urlconf=urlconf)
        except Exception:
            url = ""
        result.append(Endpoint(name, url, _operation_methods(name, pattern)))
    return result


def missing_rules(urlconf: str | None = None, rules: Mapping[str, Rule] | None = None) -> list[str]:
    """URL names without an access rule, unnamed patterns, and patterns the matrix cannot call."""
    rules = collect_rules() if rules is None else rules
    problems = [
        f"unnamed pattern {pattern.pattern}"
        for name, pattern in _patterns(urlconf)
        # The admin's own unnamed redirects (old change URLs, catch-all) fall under its login check.
        if (not name or name.endswith(":")) and not name.startswith("admin:")
    ]
    for endpoint in endpoints(urlconf):
        if rule_for(endpoint.name, rules) is None:
            problems.append(f"no access rule: {endpoint.name}")
        elif not endpoint.url:
            problems.append(f"cannot build a sample URL: {endpoint.name}")
    return problems


def allowed(rule: Rule, caller: str) -> bool:
    if rule in (Access.PUBLIC, Access.FRAMEWORK):
        return True
    if caller == "anonymous":
        return False
    if rule is Access.AUTHENTICATED:
        return True
    if isinstance(rule, Perm):
        return rule in ROLE_PERMISSIONS[Role(caller)]
    if isinstance(rule, AnyPerm):
        return bool(rule & ROLE_PERMISSIONS[Role(caller)])
    return False  # SECRET (nobody without the secret) and NOBODY


def _denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code == 302:
        location = urlsplit(response.headers.get("Location", "")).path
        return location.startswith(("/accounts/", "/console/login/")) or any(
            part in location for part in ("login", "reauthenticate", "/mfa/")
        )
    return False


_FALLBACK_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _call(client: Any, url: str, method: str) -> Any:
    if method == "GET":
        return client.get(url)
    send = getattr(client, method.lower())
    if url.startswith("/api/"):
        return send(url, data={}, content_type="application/json")
    return send(url, data={}) if method == "POST" else send(url)


def _request(client: Any, endpoint: Endpoint | str) -> Any:
    """Call the URL with its operation's method (API), else GET and, on 405, a method the view allows."""
    if isinstance(endpoint, str):
        endpoint = Endpoint("", endpoint)
    if endpoint.methods:
        method = "GET" if "GET" in endpoint.methods else endpoint.methods[0]
        return _call(client, endpoint.url, method)
    response = client.get(endpoint.url)
    if response.status_code == 405:
        allow = {m.strip().upper() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        method = next((m for m in _FALLBACK_METHODS if m in allow), "POST")
        response = _call(client, endpoint.url, method)
    return response


def sign_in(client: Any, user: Any) -> None:
    """Sign ``user`` in; staff pages require MFA, so the session counts as MFA-verified."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": 2e9, "email": user.email},
        {"method": "mfa", "type": "totp", "at": 2e9},
    ]
    session.save()


def matrix_failures(
    client: Any,
    caller: str,
    user: Any = None,
    *,
    urlconf: str | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> list[str]:
    """Call every URL as ``caller`` and list each answer that contradicts its rule (or is a 5xx)."""
    rules = collect_rules() if rules is None else rules
    failures: list[str] = []
    for endpoint in endpoints(urlconf):
        rule = rule_for(endpoint.name, rules)
        if rule is None or not endpoint.url:
            continue
        response = _request(client, endpoint)
        if user is not None and "_auth_user_id" not in client.session:
            sign_in(client, user)  # a logout URL ended the session: carry on signed in
        if response.status_code >= 500:
            failures.append(f"{endpoint.name} {endpoint.url}: {response.status_code}")
            continue
        if rule is Access.FRAMEWORK:
            continue
        may = allowed(rule, caller)
        denied = _denied(response)
        if may and denied and response.status_code != 404:
            failures.append(
                f"{endpoint.name} {endpoint.url}: {caller} should be allowed, got {response.status_code}"
            )
        if not may and not denied:
            failures.append(
                f"{endpoint.name} {endpoint.url}: {caller} should be refused, got {response.status_code}"
            )
    return failures


ALL_ENDPOINTS = endpoints()  # for other suites that walk the URLs themselves


# --- the suite's matrix ---------------------------------------------------------------------------


def test_every_url_has_an_access_rule():
    assert missing_rules() == []


def test_console_pages_use_the_permission_base_class():
    """Every model page of the staff console derives its rules from PermissionAdmin."""
    from django.contrib import admin

    from videocall.core.admin import PermissionAdmin

    plain = [m._meta.label for m, ma in admin.site._registry.items() if not isinstance(ma, PermissionAdmin)]
    assert plain == [], f"console pages not built on videocall.core.admin.PermissionAdmin: {plain}"


def test_console_rules_are_real_permissions():
    rules = collect_rules()
    admin_rules = {name: rule for name, rule in rules.items() if name.startswith("admin:")}
    assert "admin:*" not in admin_rules
    assert admin_rules["admin:accounts_user_changelist"] is Perm.USERS_VIEW
    assert admin_rules["admin:accounts_user_roles"] is Perm.USERS_ASSIGN_ROLES
    assert admin_rules["admin:accounts_user_delete"] is Access.NOBODY
    assert admin_rules["admin:audit_auditevent_changelist"] is Perm.AUDIT_VIEW
    assert admin_rules["admin:audit_auditevent_export"] is Perm.AUDIT_EXPORT
    assert admin_rules["admin:audit_auditevent_change"] is Perm.AUDIT_VIEW
    assert admin_rules["admin:audit_auditevent_add"] is Access.NOBODY
    assert admin_rules["admin:staff_incident_add"] is Perm.INCIDENTS_MANAGE


@pytest.fixture
def caller_client(client, make_user, request):
    caller = request.param
    client.raise_request_exception = False
    user = None
    if caller != "anonymous":
        user = make_user(f"{caller}@example.org", roles=[Role(caller)])
        sign_in(client, user)
    return caller, client, user


@pytest.mark.django_db
@pytest.mark.parametrize("caller_client", CALLERS, indirect=True)
def test_role_url_matrix(caller_client):
    caller, client, user = caller_client
    failures = matrix_failures(client, caller, user)
    assert failures == [], "\n".join(failures)


# --- the matrix turns red on unprotected URLs -----------------------------------------------------


def open_view(request: Any) -> HttpResponse:
    return HttpResponse("anyone")


def lying_view(request: Any) -> HttpResponse:
    """Declared in the rules as needing AUDIT_VIEW, but checks nothing."""
    return HttpResponse("audit data for anyone")


@pytest.mark.django_db
@pytest.mark.urls("tests.core.matrix_probe_urls")
def test_matrix_reports_unprotected_urls(client, make_user):
    probe = "tests.core.matrix_probe_urls"
    rules = {**collect_rules(), "matrix_probe_declared": Perm.AUDIT_VIEW}

    # Only what the probe adds counts here; the real URLs are judged by the tests above.
    problems = [p for p in missing_rules(probe, rules) if "matrix_probe" in p]
    assert problems == ["no access rule: matrix_probe_open"]

    client.raise_request_exception = False
    member = make_user("probe@example.org")
    sign_in(client, member)
    failures = matrix_failures(client, "member", member, urlconf=probe, rules=rules)
    probe_failures = [f for f in failures if f.startswith("matrix_probe")]
    assert probe_failures == [
        "matrix_probe_declared /matrix-probe/declared/: member should be refused, got 200"
    ]
    # Anonymous callers are refused nothing by the lying view either.
    client.logout()
    anonymous = matrix_failures(client, "anonymous", urlconf=probe, rules=rules)
    assert [f for f in anonymous if f.startswith("matrix_probe")] == [
        "matrix_probe_declared /matrix-probe/declared/: anonymous should be refused, got 200"
    ]
