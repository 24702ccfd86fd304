"""The consent-choice cookie: a random visitor id and the policy version of the choice, signed.

The ledger (:class:`ConsentRecord`) is the truth; the cookie only names the visitor and says a
choice was made, so the banner is not shown again until a new version asks for consent again.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from videocall.privacy.consents import BANNER_PURPOSES, ConsentPurpose
from videocall.privacy.selectors import has_consent, reconsent_floor, visitor_has_consent

_SALT = "videocall.privacy.consent-cookie"
MAX_AGE_DAYS = 395


def read_choice(request: HttpRequest) -> dict[str, Any] | None:
    raw = request.COOKIES.get(settings.VIDEOCALL_CONSENT_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("v"), str):
        return None
    return data


def visitor_id(request: HttpRequest) -> str:
    choice = read_choice(request)
    return choice["v"] if choice else ""


def new_visitor_id() -> str:
    return secrets.token_urlsafe(24)


def write_choice(response: HttpResponse, *, visitor: str, version: int | None) -> None:
    value = signing.dumps({"v": visitor, "n": version or 0}, salt=_SALT)
    response.set_cookie(
        settings.VIDEOCALL_CONSENT_COOKIE,
        value,
        max_age=MAX_AGE_DAYS * 86400,
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite="Lax",
        path="/",
    )


def needs_choice(request: HttpRequest) -> bool:
    """Show the banner: no choice yet, or a newer policy version changed a banner purpose."""
    choice = read_choice(request)
    if choice is None:
        return True
    chosen_at = int(choice.get("n") or 0)
    return any(reconsent_floor(purpose) > chosen_at for purpose in BANNER_PURPOSES)


def allows(request: HttpRequest, purpose: ConsentPurpose) -> bool:
    """Whether this browser's person consented to ``purpose`` (signed in: the account's choice)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return has_consent(user, purpose)
    return visitor_has_consent(visitor_id(request), purpose)
