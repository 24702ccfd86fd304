"""``{% load telemetry %}{% devices_panel %}``: the signed-in user's devices with remove buttons, for
the accounts "sessions and devices" page (same markup as ``telemetry/_devices.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from videocall.telemetry.selectors import devices_for

register = template.Library()


@register.inclusion_tag("telemetry/_devices.html", takes_context=True)
def devices_panel(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return {
        "devices": devices_for(user),
        "current_session_key": (session.session_key or "") if session is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
