"""Reactions to other apps' signals."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from videocall.notifications.services import notify


def on_new_device(
    sender: Any = None, *, user: Any, device_label: str = "", country: str = "", **_kw: Any
) -> None:
    """A sign-in from a device not seen before: in-app alert + transactional email (security notice)."""
    from django.utils import translation

    with translation.override(getattr(user, "language", None) or "en"):
        title = _("New sign-in to your account")
        body = _(
            "Your account was used to sign in from %(device)s (%(country)s). If this was not you, change your password and sign out other sessions."
        ) % {
            "device": device_label or _("an unknown device"),
            "country": country or _("unknown country"),
        }
    notify(
        user=user,
        kind="security.new_device",
        title=title,
        body=body,
        url="/account/",
        email_template="new_device",
        context={"device_label": device_label, "country": country},
    )
