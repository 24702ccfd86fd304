from __future__ import annotations

from typing import Any

from django import template

from videocall.privacy.consents import BANNER_PURPOSES, CONSENT_PURPOSES, STRICTLY_NECESSARY, ConsentPurpose
from videocall.privacy.cookies import allows, needs_choice

register = template.Library()


@register.inclusion_tag("privacy/_banner.html", takes_context=True)
def privacy_banner(context: Any) -> dict[str, Any]:
    """The cookie banner (until a choice is made) and, only after opt-in, the analytics beacon."""
    request = context.get("request")
    if request is None:
        return {"show": False, "beacon": False}
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "show": needs_choice(request),
        "beacon": allows(request, ConsentPurpose.ANALYTICS),
        "purposes": [(p.value, CONSENT_PURPOSES[p]) for p in BANNER_PURPOSES],
        "necessary": STRICTLY_NECESSARY,
        "next": request.get_full_path(),
    }
