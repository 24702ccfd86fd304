"""Staff console entries: crash projects (with their DSN). The device list is the staff app's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocall.core.admin import PermissionAdmin
from videocall.core.permissions import Perm
from videocall.telemetry.models import CrashProject


@admin.register(CrashProject)
class CrashProjectAdmin(PermissionAdmin):
    view_perm = Perm.CRASHES_VIEW
    change_perm = Perm.SITE_SETTINGS_MANAGE  # also adds and deletes projects
    list_display = ("name", "platform", "is_active", "dsn_display", "created_at")
    fields = ("name", "platform", "is_active", "dsn_display")
    readonly_fields = ("dsn_display",)

    @admin.display(description=_("DSN (give this to the app's Sentry SDK)"))
    def dsn_display(self, obj: CrashProject) -> str:
        return obj.dsn(settings.SITE_URL) if obj.pk else "—"

    def save_model(self, request: HttpRequest, obj: CrashProject, form: Any, change: bool) -> None:
        if not obj.public_key:
            import secrets

            obj.public_key = secrets.token_hex(16)
        super().save_model(request, obj, form, change)
