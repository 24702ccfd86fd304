"""The neutral age screen (R4). The date of birth is read, compared and dropped: it is never stored, and
neither is anything else about a refused sign-up except a short-lived signed cookie on the visitor's own
device, which stops an immediate retry with another date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from videocall.accounts.selectors import site_config

AGE_CHECK_COOKIE = "vc_age_check"  # "__Host-vc_age_check" when cookies are Secure (production)
AGE_CHECK_SALT = "videocall.accounts.age-check"
REQUEST_FLAG = "_videocall_age_check_failed"


def cookie_name() -> str:
    return f"__Host-{AGE_CHECK_COOKIE}" if settings.SESSION_COOKIE_SECURE else AGE_CHECK_COOKIE


def age_on(birth: dt.date, today: dt.date) -> int:
    years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day):
        years -= 1
    return years


def minimum_age() -> int:
    """The minimum age the staff console saved (13-16), else VIDEOCALL_MINIMUM_AGE."""

    return site_config().minimum_age


def is_old_enough(birth: dt.date, *, today: dt.date | None = None) -> bool:
    return age_on(birth, today or timezone.localdate()) >= minimum_age()


def recently_failed(request: Any) -> bool:
    if request is None:
        return False
    try:
        request.get_signed_cookie(
            cookie_name(), salt=AGE_CHECK_SALT, max_age=settings.VIDEOCALL_AGE_CHECK_COOKIE_SECONDS
        )
    except (KeyError, ValueError, Exception):
        return False
    return True


def mark_failed(request: Any) -> None:
    """Ask :class:`~videocall.accounts.middleware.AgeCheckCookieMiddleware` to set the cookie."""
    if request is not None:
        setattr(request, REQUEST_FLAG, True)


def set_cookie(response: Any) -> None:
    response.set_signed_cookie(
        cookie_name(),
        "1",
        salt=AGE_CHECK_SALT,
        max_age=settings.VIDEOCALL_AGE_CHECK_COOKIE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        path="/",
        httponly=True,
        samesite="Lax",
    )
