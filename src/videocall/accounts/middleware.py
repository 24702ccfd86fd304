"""Accounts middleware: the age-check cookie, MFA for staff pages, session rotation at re-authentication.

(The idle session timeout is the foundation's ``core.sessions.IdleSessionTimeoutMiddleware``.)"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from videocall.accounts import agegate
from videocall.accounts.selectors import has_mfa
from videocall.core.access import AnyPerm, collect_rules, rule_for
from videocall.core.permissions import ROLE_PERMISSIONS, Perm, Role

Handler = Callable[[HttpRequest], HttpResponse]


class AgeCheckCookieMiddleware:
    """Sets the short-lived signed "age check failed" cookie when the sign-up form refused a visitor
    (the form cannot touch the response; it flags the request)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, agegate.REQUEST_FLAG, False):
            agegate.set_cookie(response)
        return response


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    return collect_rules()


def is_staff_url(path: str) -> bool:
    """A URL whose access rule is a staff-only permission (or any page of the staff console)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    name = match.view_name
    if name.startswith("admin:"):
        return name != "admin:login"
    rule = rule_for(name, _rules())
    if isinstance(rule, AnyPerm):
        return not (rule & ROLE_PERMISSIONS[Role.MEMBER])
    return isinstance(rule, Perm) and rule not in ROLE_PERMISSIONS[Role.MEMBER]


class StaffMFARequiredMiddleware:
    """Staff must have TOTP set up before any staff page opens (S6): a signed-in staff user without an
    authenticator is sent to the MFA setup page, and back afterwards."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        staff_page = (
            user is not None and user.is_authenticated and user.is_staff and is_staff_url(request.path_info)
        )
        if staff_page and not has_mfa(user):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Please set it up first.")
            )
            target = reverse("mfa_activate_totp")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _reauthentication_count(request: HttpRequest) -> int:
    session = getattr(request, "session", None)
    if session is None:
        return 0
    records = session.get("account_authentication_methods", [])
    return sum(1 for record in records if record.get("reauthenticated"))


class ReauthenticationRotationMiddleware:
    """Rotate the website session id after a successful re-authentication (S7), keeping the user's
    session-list entry (first seen) on the new id. App sessions are left alone: their id is the token."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        before = _reauthentication_count(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            not request.path_info.startswith("/api/")
            and user is not None
            and user.is_authenticated
            and _reauthentication_count(request) > before
        ):
            from allauth.usersessions.models import UserSession

            old_key = request.session.session_key
            request.session.cycle_key()
            if old_key:
                UserSession.objects.filter(session_key=old_key).update(
                    session_key=request.session.session_key
                )
        return response


USERSESSION_TRACKED_KEY = "_videocall_usersession_tracked"
USERSESSION_TRACK_INTERVAL_SECONDS = 60


class ThrottledUserSessionsMiddleware:
    """django-allauth's session tracking (last seen, IP, browser for the sessions page), at most once a
    minute per session instead of a database write and commit on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from allauth.usersessions.internal import usersessionkit

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated and session.session_key:
            now = int(time.time())
            last = session.get(USERSESSION_TRACKED_KEY)
            if not isinstance(last, int) or now - last >= USERSESSION_TRACK_INTERVAL_SECONDS:
                usersessionkit.track_activity(request, user=user, session=session)
                session[USERSESSION_TRACKED_KEY] = now
        return self.get_response(request)
