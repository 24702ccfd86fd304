from typing import Any

from django import template
from django.db import DatabaseError

from videocall.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context: Any) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    try:
        return unread_count(user)
    except DatabaseError:  # the error pages must render even when the database is down
        return 0
