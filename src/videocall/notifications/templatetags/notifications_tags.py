from typing import Any

from django import template

from videocall.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context: Any) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return unread_count(user)
