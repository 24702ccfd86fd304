"""Staff console entries for django-allauth's account tables, with personal data masked in lists.

allauth's own admin classes list email addresses, IP addresses and user agents in clear and search by
them; they are replaced here. Details stay behind the model permissions of the console."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from videocall.accounts.selectors import country_of, device_label


def mask_email(email: str) -> str:
    local, _sep, domain = (email or "").partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain[:1]}***"


for model in (EmailAddress, UserSession, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "masked_email", "verified", "primary")
    actions = None  # the bulk-action checkboxes would label each row with the address
    list_filter = ("verified", "primary")
    fields = ("user", "verified", "primary")
    readonly_fields = ("user",)

    @admin.display(description=_("email address"))
    def masked_email(self, obj: EmailAddress) -> str:
        return mask_email(obj.email)

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "browser", "country", "created_at", "last_seen_at")
    actions = None  # the bulk-action checkboxes would label each row with the IP address
    fields = ("user", "created_at", "last_seen_at")
    readonly_fields = ("user", "created_at", "last_seen_at")

    @admin.display(description=_("browser"))
    def browser(self, obj: UserSession) -> str:
        return " / ".join(p for p in device_label(obj.user_agent) if p)

    @admin.display(description=_("country"))
    def country(self, obj: UserSession) -> str:
        return country_of(obj.ip)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Staff may see that a factor exists and remove it (account recovery); never its secret."""

    list_display = ("id", "user_id", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
