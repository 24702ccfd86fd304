"""Roles and the named permissions they grant. Views, API routes and the staff console check
permissions (never role names) through :func:`has_perm` / :func:`require_perm`."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from videocall.core.errors import NotAuthenticated, PermissionDenied


class Perm(StrEnum):
    """Every named permission. The value is the Django codename under the ``core`` app label."""

    # Members
    MEETING_CREATE = "meeting_create"
    SUPPORT_OPEN_TICKET = "support_open_ticket"
    # Staff console
    CONSOLE_ACCESS = "console_access"
    USERS_VIEW = "users_view"
    USERS_MANAGE = "users_manage"
    USERS_ASSIGN_ROLES = "users_assign_roles"
    PII_REVEAL = "pii_reveal"
    MEETINGS_MANAGE_ALL = "meetings_manage_all"
    SITE_SETTINGS_VIEW = "site_settings_view"
    SITE_SETTINGS_MANAGE = "site_settings_manage"
    JOBS_VIEW = "jobs_view"
    NEWS_SEND = "news_send"
    # Support desk
    SUPPORT_QUEUE = "support_queue"
    SUPPORT_REPLY = "support_reply"
    SUPPORT_ASSIGN = "support_assign"
    SUPPORT_CANNED_MANAGE = "support_canned_manage"
    # Privacy office
    PRIVACY_POLICY_MANAGE = "privacy_policy_manage"
    PRIVACY_REQUESTS_MANAGE = "privacy_requests_manage"
    PRIVACY_LEGAL_HOLDS = "privacy_legal_holds"
    PRIVACY_PROCESSORS = "privacy_processors"
    PRIVACY_DISCLOSURES = "privacy_disclosures"
    PRIVACY_RECORDS_VIEW = "privacy_records_view"
    PRIVACY_FLAG_CHILD = "privacy_flag_child"
    INCIDENTS_MANAGE = "incidents_manage"
    INCIDENTS_VIEW = "incidents_view"
    # Oversight
    AUDIT_VIEW = "audit_view"
    AUDIT_EXPORT = "audit_export"
    ANALYTICS_VIEW = "analytics_view"
    CRASHES_VIEW = "crashes_view"

    @property
    def full(self) -> str:
        return f"core.{self.value}"


PERMISSION_LABELS: dict[Perm, str] = {p: p.value.replace("_", " ").capitalize() for p in Perm}


class Role(StrEnum):
    MEMBER = "member"
    SUPPORT_AGENT = "support_agent"
    PRIVACY_OFFICER = "privacy_officer"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def is_staff(self) -> bool:
        return self is not Role.MEMBER


ROLE_LABELS = {
    Role.MEMBER: _("Member"),
    Role.SUPPORT_AGENT: _("Support agent"),
    Role.PRIVACY_OFFICER: _("Privacy officer"),
    Role.ADMINISTRATOR: _("Administrator"),
    Role.AUDITOR: _("Auditor"),
}

_MEMBER = {Perm.MEETING_CREATE, Perm.SUPPORT_OPEN_TICKET}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.MEMBER: frozenset(_MEMBER),
    Role.SUPPORT_AGENT: frozenset(
        _MEMBER
        | {Perm.CONSOLE_ACCESS, Perm.SUPPORT_QUEUE, Perm.SUPPORT_REPLY, Perm.SUPPORT_ASSIGN, Perm.PII_REVEAL}
    ),
    Role.PRIVACY_OFFICER: frozenset(
        _MEMBER
        | {
            Perm.CONSOLE_ACCESS,
            Perm.PRIVACY_POLICY_MANAGE,
            Perm.PRIVACY_REQUESTS_MANAGE,
            Perm.PRIVACY_LEGAL_HOLDS,
            Perm.PRIVACY_PROCESSORS,
            Perm.PRIVACY_DISCLOSURES,
            Perm.PRIVACY_RECORDS_VIEW,
            Perm.PRIVACY_FLAG_CHILD,
            Perm.INCIDENTS_MANAGE,
            Perm.INCIDENTS_VIEW,
            Perm.PII_REVEAL,
            Perm.AUDIT_VIEW,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        _MEMBER
        | {
            Perm.CONSOLE_ACCESS,
            Perm.USERS_VIEW,
            Perm.USERS_MANAGE,
            Perm.USERS_ASSIGN_ROLES,
            Perm.PII_REVEAL,
            Perm.MEETINGS_MANAGE_ALL,
            Perm.SITE_SETTINGS_VIEW,
            Perm.SITE_SETTINGS_MANAGE,
            Perm.JOBS_VIEW,
            Perm.NEWS_SEND,
            Perm.SUPPORT_CANNED_MANAGE,
            Perm.PRIVACY_FLAG_CHILD,
            Perm.INCIDENTS_MANAGE,
            Perm.INCIDENTS_VIEW,
            Perm.AUDIT_VIEW,
            Perm.AUDIT_EXPORT,
            Perm.ANALYTICS_VIEW,
            Perm.CRASHES_VIEW,
        }
    ),
    Role.AUDITOR: frozenset(
        {Perm.CONSOLE_ACCESS, Perm.AUDIT_VIEW, Perm.AUDIT_EXPORT, Perm.ANALYTICS_VIEW, Perm.INCIDENTS_VIEW}
    ),
}

STAFF_ROLES = frozenset(r for r in Role if r.is_staff)


def has_perm(user: Any, perm: Perm) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.has_perm(perm.full))


def require_perm(user: Any, perm: Perm) -> None:
    """Raise the API/website error for a caller who lacks ``perm``."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()
    if not has_perm(user, perm):
        raise PermissionDenied()


def permission_required(perm: Perm) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for website views: anonymous -> sign-in page, signed in without ``perm`` -> 403."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def sync_roles(apps: Any = None) -> None:
    """Create or update the role groups and their permissions from :data:`ROLE_PERMISSIONS`.

    Called by the data migration and after every ``migrate`` so new permissions reach existing roles.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="core", model="accesspolicy")
    by_codename = {}
    for perm in Perm:
        obj, _created = Permission.objects.update_or_create(
            content_type=content_type, codename=perm.value, defaults={"name": PERMISSION_LABELS[perm]}
        )
        by_codename[perm] = obj
    Permission.objects.filter(content_type=content_type).exclude(
        codename__in=[p.value for p in Perm]
    ).delete()
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set([by_codename[p] for p in perms])
