from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    """Permissions-Policy, and ``Cache-Control: no-store`` whenever a signed-in user (or an API token) is
    involved. A view may set its own Permissions-Policy (the meeting page delegates camera and microphone
    to the Jitsi origin). The Content-Security-Policy comes from django-csp's ``CSPMiddleware`` and
    ``settings.CONTENT_SECURITY_POLICY``."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), display-capture=(), geolocation=(), payment=(), usb=()",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        if authenticated or "HTTP_X_SESSION_TOKEN" in request.META or "HTTP_AUTHORIZATION" in request.META:
            response.headers["Cache-Control"] = "no-store"
        return response


class TimezoneMiddleware:
    """Times are stored in UTC and shown in the signed-in user's zone."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = getattr(user, "timezone", None) if user is not None and user.is_authenticated else None
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return self.get_response(request)
