"""Re-authentication for the API: a recent sign-in or re-authentication recorded by allauth.

Website views use ``allauth.account.decorators.reauthentication_required``. App requests carry the
allauth headless session token; the authentication records live in that token's session, where
allauth's headless login and ``/auth/reauthenticate`` flows write them.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.headless.internal.sessionkit import lookup_session
from django.http import HttpRequest

from videocall.core.errors import ReauthenticationRequired


def recently_authenticated(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    token = request.headers.get("X-Session-Token")
    holder: Any = request
    if token:
        session = lookup_session(token)
        if session is None:
            return False
        holder = SimpleNamespace(session=session)
    records = get_authentication_records(holder, user)
    if not records:
        return False
    latest = max(float(r.get("at", 0)) for r in records)
    return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT


def require_recent_authentication(request: HttpRequest) -> None:
    if not recently_authenticated(request):
        raise ReauthenticationRequired(
            "Confirm your password again (POST /api/v1/auth/app/v1/auth/reauthenticate), then retry."
        )
