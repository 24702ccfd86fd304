"""Reads about accounts, permission-checked."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings

from videocall.accounts.models import Device, SiteSettings, User
from videocall.core.clients import country_of, device_label
from videocall.core.errors import ReauthenticationRequired

AvatarViewerRule = Callable[[Any, Any], bool]
_avatar_viewer_rules: list[AvatarViewerRule] = []


def register_avatar_viewer(rule: AvatarViewerRule) -> AvatarViewerRule:
    """Let another domain widen who may see a profile picture: ``rule(viewer, owner) -> bool``.

    Meetings registers "shares a meeting with the owner" (privacy by default, R13: pictures are visible
    to co-participants only). Registered from the app's ``AppConfig.ready``.
    """
    if rule not in _avatar_viewer_rules:
        _avatar_viewer_rules.append(rule)
    return rule


def can_view_avatar(viewer: Any, owner: Any) -> bool:
    if viewer is None or not getattr(viewer, "is_authenticated", False) or owner is None:
        return False
    if viewer.pk == owner.pk:
        return True
    if getattr(owner, "is_deleted", False):
        return False
    return any(rule(viewer, owner) for rule in _avatar_viewer_rules)


@dataclass(frozen=True)
class SiteConfig:
    registration_mode: str
    minimum_age: int
    from_console: bool


def site_config() -> SiteConfig:
    """Sign-up rules: registration mode and minimum age, as the staff console saved them, else the
    environment's (VIDEOCALL_REGISTRATION, VIDEOCALL_MINIMUM_AGE)."""

    row = SiteSettings.objects.filter(pk=1).first()
    if row is not None:
        return SiteConfig(row.registration_mode, row.minimum_age, True)
    return SiteConfig(settings.VIDEOCALL_REGISTRATION or "open", settings.VIDEOCALL_MINIMUM_AGE, False)


def email_verified(user: Any) -> bool:
    """True when the user's current (primary) email address is verified. Meetings require it."""
    from allauth.account.models import EmailAddress

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user_id=user.pk, primary=True, verified=True).exists()


def has_mfa(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def request_session(request: Any) -> Any:
    """The server-side session behind a request: the app token's (``X-Session-Token`` or a JWT access
    token) when one is sent, else the website's cookie session."""
    from allauth.headless.internal.sessionkit import lookup_session
    from allauth.headless.tokens.strategies.jwt import internal

    token = request.headers.get("X-Session-Token")
    if token:
        return lookup_session(token)
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        result = internal.validate_access_token(auth.split(" ", 1)[1].strip())
        return result.session if result is not None else None
    return getattr(request, "session", None)


def recently_reauthenticated(request: Any) -> bool:
    """True when the signed-in user proved who they are (login or re-authentication: password, code or
    MFA) within ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (5 minutes). Works for website sessions and
    for app sessions (allauth headless keeps the same records in the token's session; the app refreshes
    them with ``POST /api/v1/auth/app/v1/auth/reauthenticate``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = request_session(request)
    records = session.get("account_authentication_methods", []) if session is not None else []
    if not records:
        return False
    last = max(float(record.get("at", 0)) for record in records)
    return time.time() - last < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def reauthentication_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Website view decorator: unsafe methods need a recent re-authentication; otherwise the user is
    sent to allauth's re-authentication page and then back (GET requests pass so forms can be shown)."""
    from allauth.account.adapter import get_adapter
    from allauth.account.internal.flows.reauthentication import suspend_request

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD", "OPTIONS") and not recently_reauthenticated(request):
            methods = get_adapter(request).get_reauthentication_methods(request.user)
            return suspend_request(request, methods[0]["url"])
        return view(request, *args, **kwargs)

    return wrapped


def require_recent_reauthentication(request: Any) -> None:
    """For API routes: raise ``ReauthenticationRequired`` (401, problem+json) unless the caller
    re-authenticated within 5 minutes."""
    if not recently_reauthenticated(request):
        raise ReauthenticationRequired()


# --- Sessions and devices -------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionView:
    id: int
    browser: str
    os: str
    device_model: str
    country: str
    first_seen: datetime
    last_seen: datetime
    current: bool
    kind: str  # "web" or "app"


def _is_live(session: Any) -> bool:
    """allauth's test in ``UserSession.purge()``, without its delete: the session still exists and
    still authenticates its user."""
    from allauth.core.internal.sessionkit import get_session_user

    return bool(session.exists() and get_session_user(session._session_store(session.session_key)))


def sessions_for(*, user: Any, current_session_key: str | None) -> list[SessionView]:
    """Every live signed-in session or app token of ``user``. A read: sessions that ended are left
    out here and deleted by the hourly ``accounts.tasks.purge_ended_sessions``."""
    from allauth.usersessions.models import UserSession

    sessions = [s for s in UserSession.objects.filter(user_id=user.pk) if _is_live(s)]
    keys = [s.session_key for s in sessions]
    devices = {d.session_key: d for d in Device.objects.filter(user_id=user.pk, session_key__in=keys)}
    views = []
    for session in sessions:
        browser, os_name = device_label(session.user_agent)
        device = devices.get(session.session_key)
        model = device.model if device is not None else ""
        if device is not None and device.os_name:
            os_name = f"{device.os_name} {device.os_version}".strip()
        views.append(
            SessionView(
                id=session.pk,
                browser=browser,
                os=os_name,
                device_model=model,
                country=country_of(session.ip),
                first_seen=session.created_at,
                last_seen=session.last_seen_at,
                current=session.session_key == current_session_key,
                kind="app" if device is not None else "web",
            )
        )
    views.sort(key=lambda v: (not v.current, -v.last_seen.timestamp()))
    return views


def device_session_keys(user: Any) -> set[str]:
    """Session keys the user's registered devices (app installs) were signed in with."""

    rows = Device.objects.filter(user_id=user.pk).exclude(session_key="")
    return set(rows.values_list("session_key", flat=True))


AVATAR_LINK_SALT = "videocall.accounts.avatar-link"
AVATAR_LINK_SECONDS = 12 * 3600


def avatar_link_token(owner: Any) -> str:
    """A signed, expiring reference to ``owner``'s current picture, for Jitsi.

    Jitsi's clients load participants' pictures from inside the meeting iframe, on another site, where
    the browser sends none of our cookies. The meeting token therefore carries this link instead; like the
    Jitsi token itself it is a documented exception to "no tokens in URLs": it reveals only this one
    picture, to the people in the meeting, for 12 hours, and stops working when the picture changes.
    """
    from django.core import signing

    return signing.dumps([owner.pk, owner.avatar.name], salt=AVATAR_LINK_SALT, compress=True)


def avatar_owner_from_link(token: str) -> Any | None:
    """The user whose current picture ``token`` names, or None (bad, expired, or picture changed)."""
    from django.core import signing

    try:
        user_id, name = signing.loads(token, salt=AVATAR_LINK_SALT, max_age=AVATAR_LINK_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    owner = User.objects.filter(pk=user_id, is_deleted=False, is_active=True).first()
    if owner is None or not owner.avatar or owner.avatar.name != name:
        return None
    return owner


def unverified_signups_due(*, cutoff: Any) -> list[Any]:
    """Pending sign-ups past their retention (R1): accounts whose email was never verified, joined before
    ``cutoff``. Accounts without any email-address row (operators created on the command line), staff and
    anyone who ever signed in are never due."""
    candidates = (
        User.objects.filter(
            date_joined__lt=cutoff,
            last_login__isnull=True,
            is_superuser=False,
            is_deleted=False,
            emailaddress__verified=False,
        )
        .exclude(emailaddress__verified=True)
        .distinct()
    )
    return [user for user in candidates.iterator(chunk_size=200) if not user.is_staff]
