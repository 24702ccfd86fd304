from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.VIDEOCALL_SITE_NAME,
        "privacy_contact": settings.VIDEOCALL_PRIVACY_CONTACT,
        "support_contact": settings.VIDEOCALL_SUPPORT_CONTACT,
    }
