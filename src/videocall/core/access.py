"""Who may open each URL. Every app lists its URL names in ``<app>/access.py`` as ``URL_ACCESS``;
the role x URL matrix test walks every URL pattern and fails on one without an entry.

A rule is one of the :class:`Access` levels, a :class:`~videocall.core.permissions.Perm`, or
:class:`AnyPerm` (any one of several permissions, e.g. a console page open to its view and its change
permission).
"""

from __future__ import annotations

from enum import StrEnum

from videocall.core.permissions import Perm


class Access(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    AUTHENTICATED = "authenticated"  # any signed-in user
    SECRET = "secret"  # noqa: S105 - machine endpoints authenticated by a shared secret or signature (webhooks, metrics)
    FRAMEWORK = "framework"  # flows of django-allauth that check access themselves; only "no 5xx" is asserted
    NOBODY = "nobody"  # pages switched off for every caller (e.g. "add" on a read-only console page)


NAMESPACE_WILDCARD = ":*"


class AnyPerm(frozenset[Perm]):
    """A rule met by a caller holding any one of these permissions."""

    def __repr__(self) -> str:
        return f"AnyPerm({', '.join(sorted(p.value for p in self))})"


Rule = Access | Perm | AnyPerm


def collect_rules() -> dict[str, Rule]:
    from django.apps import apps
    from django.utils.module_loading import import_string

    rules: dict[str, Rule] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("videocall."):
            continue
        try:
            declared = import_string(f"{config.name}.access.URL_ACCESS")
        except ImportError:
            continue
        duplicated = set(rules) & set(declared)
        if duplicated:
            raise ValueError(f"URL names declared twice: {sorted(duplicated)}")
        rules.update(declared)
    return rules


def rule_for(name: str, rules: dict[str, Rule]) -> Rule | None:
    """The rule for a URL name: its own entry, else the nearest ``namespace:*`` entry."""
    if name in rules:
        return rules[name]
    parts = name.split(":")
    for depth in range(len(parts) - 1, 0, -1):
        wildcard = ":".join(parts[:depth]) + NAMESPACE_WILDCARD
        if wildcard in rules:
            return rules[wildcard]
    return None


URL_ACCESS: dict[str, Rule] = {
    "home": Access.PUBLIC,
    "healthz": Access.PUBLIC,
    "favicon": Access.PUBLIC,
    "api_not_found": Access.PUBLIC,
    "api:openapi-json": Access.PUBLIC,
    "api:openapi-view": Access.PUBLIC,
    # The staff console (Django admin) lists its own URLs in videocall/staff/access.py: site-wide
    # pages there, and each model page's rule derived from its PermissionAdmin (core/admin.py).
    # django-allauth's website and headless flows (sign-up, login, reset, MFA, sessions) guard themselves.
    "headless:*": Access.FRAMEWORK,
}
