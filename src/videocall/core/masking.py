"""Personal data shown masked to staff, and the one rule for revealing it.

Masks keep the first letter of each part and hide the rest behind a fixed run of dots, so a masked value
says neither what the rest is nor how long it is: ``mask_email("mia@example.org") == "m•••@e•••.org"``,
``mask_text("Mia Member") == "M••• M•••"``. The staff console (``PermissionAdmin.masked_fields``) and the
support desk use the same functions.

Revealing the clear value takes a reason of :data:`REVEAL_REASON_MIN` to :data:`REVEAL_REASON_MAX`
characters (e.g. the ticket being worked on), checked by :func:`reveal_reason_clean` in every reveal
service (the staff console's ``pii_reveal``, the support desk's ``requester_reveal``), which then keep it
encrypted with the audit event.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from videocall.core.errors import CoreError, ValidationFailed

HIDDEN = "•••"
REVEAL_REASON_MIN = 10
REVEAL_REASON_MAX = 500


def _first(part: str) -> str:
    return f"{part[:1]}{HIDDEN}" if part else ""


def mask_text(value: Any) -> str:
    """``"Mia Member"`` -> ``"M••• M•••"``: the first letter of each word; "" stays ""."""
    text = "" if value is None else str(value)
    return " ".join(_first(word) for word in text.split())


def mask_email(value: Any) -> str:
    """``"mia@example.org"`` -> ``"m•••@e•••.org"``: first letters and the top-level domain only."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if "@" not in text:
        return HIDDEN
    local, _sep, domain = text.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    masked_domain = f"{_first(host)}{dot}{tld}" if host else _first(domain)
    return f"{_first(local) or HIDDEN}@{masked_domain or HIDDEN}"


def mask_all(value: Any) -> str:
    """Nothing of the value, only that there is one."""
    return "••••••" if value not in (None, "") else ""


def reveal_reason_clean(reason: str | None) -> str:
    """The reason a staff member gives to see masked personal data, whitespace collapsed; raises
    :class:`ValidationFailed` (``reason_required``, on the ``reason`` field) unless it is
    :data:`REVEAL_REASON_MIN` to :data:`REVEAL_REASON_MAX` characters long."""
    cleaned = " ".join((reason or "").split())
    if not REVEAL_REASON_MIN <= len(cleaned) <= REVEAL_REASON_MAX:
        message = _("Give a reason of %(min)s to %(max)s characters.") % {
            "min": REVEAL_REASON_MIN,
            "max": REVEAL_REASON_MAX,
        }
        raise ValidationFailed(message, code=CoreError.REASON_REQUIRED, fields={"reason": [message]})
    return cleaned
