"""Staff console entries for django-allauth's account tables, with personal data masked in lists.

allauth's own admin classes list email addresses, IP addresses and user agents in clear and search by
them; they are replaced here, on :class:`videocall.core.admin.PermissionAdmin` (USERS_VIEW to look,
USERS_MANAGE to change)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from videocall.core.admin import PermissionAdmin, ReadOnlyPermissionAdmin
from videocall.core.clients import country_of, device_label
from videocall.core.masking import mask_email
from videocall.core.permissions import Perm

for model in (EmailAddress, UserSession, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(PermissionAdmin):
    view_perm = Perm.USERS_VIEW
    change_perm = Perm.USERS_MANAGE  # the verified and primary flags
    add_perm = None  # addresses are added by their owner
    delete_perm = None
    masked_fields = {"email": mask_email}
    list_display = ("id", "user_id", "masked_email", "verified", "primary")
    actions = None
    list_filter = ("verified", "primary")
    fields = ("user", "verified", "primary")
    readonly_fields = ("user",)


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyPermissionAdmin):
    """Sessions are ended from the user page (force sign-out), which also ends the app tokens."""

    view_perm = Perm.USERS_VIEW
    list_display = ("id", "user_id", "browser", "country", "created_at", "last_seen_at")
    fields = ("user", "created_at", "last_seen_at")
    readonly_fields = ("user", "created_at", "last_seen_at")

    @admin.display(description=_("browser"))
    def browser(self, obj: UserSession) -> str:
        return " / ".join(p for p in device_label(obj.user_agent) if p)

    @admin.display(description=_("country"))
    def country(self, obj: UserSession) -> str:
        return country_of(obj.ip)


@admin.register(Authenticator)
class AuthenticatorAdmin(PermissionAdmin):
    """Staff may see that a factor exists and remove it (account recovery); never its secret."""

    view_perm = Perm.USERS_VIEW
    change_perm = None
    add_perm = None
    delete_perm = Perm.USERS_MANAGE
    list_display = ("id", "user_id", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = ("user", "type", "created_at", "last_used_at")
