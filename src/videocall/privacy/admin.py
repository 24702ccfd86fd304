"""Staff console entries for the privacy office, on :class:`videocall.core.admin.PermissionAdmin`.

The consent ledger's page is the staff app's (``videocall.staff.admin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.admin import PermissionAdmin, ReadOnlyPermissionAdmin
from videocall.core.permissions import Perm
from videocall.privacy.models import (
    Disclosure,
    LegalHold,
    PolicyVersion,
    PrivacyRequest,
    Processor,
)


class _PrivacyAdmin(PermissionAdmin):
    """A privacy-office page: one ``Perm`` to look and edit; rows are never deleted from the console."""

    delete_perm = None
    audit_changes = False  # save_model writes the privacy office's own audit events
    audit_added: AuditAction
    audit_changed: AuditAction

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=self.audit_changed if change else self.audit_added,
            subject=obj,
        )


@admin.register(Processor)
class ProcessorAdmin(_PrivacyAdmin):
    audit_added = AuditAction.PRIVACY_PROCESSOR_ADDED
    audit_changed = AuditAction.PRIVACY_PROCESSOR_CHANGED
    view_perm = Perm.PRIVACY_PROCESSORS
    change_perm = Perm.PRIVACY_PROCESSORS
    list_display = ("name", "purpose", "categories", "location", "safeguards", "active")
    list_filter = ("active",)


@admin.register(Disclosure)
class DisclosureAdmin(_PrivacyAdmin):
    audit_added = AuditAction.PRIVACY_DISCLOSURE_ADDED
    audit_changed = AuditAction.PRIVACY_DISCLOSURE_CHANGED
    view_perm = Perm.PRIVACY_DISCLOSURES
    change_perm = Perm.PRIVACY_DISCLOSURES
    list_display = ("id", "disclosed_at", "authority", "legal_basis", "user_id", "user_informed")
    fields = (
        "user",
        "authority",
        "legal_basis",
        "disclosed",
        "categories",
        "user_informed",
        "not_informed_reason",
        "disclosed_at",
    )
    raw_id_fields = ("user",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LegalHold)
class LegalHoldAdmin(_PrivacyAdmin):
    audit_added = AuditAction.PRIVACY_LEGALHOLD_ADDED
    audit_changed = AuditAction.PRIVACY_LEGALHOLD_CHANGED
    view_perm = Perm.PRIVACY_LEGAL_HOLDS
    change_perm = Perm.PRIVACY_LEGAL_HOLDS
    list_display = ("id", "user_id", "categories", "review_at", "released_at")
    fields = ("user", "categories", "reason", "review_at", "released_at")
    raw_id_fields = ("user",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.PRIVACY_REQUESTS_MANAGE
    list_display = ("id", "kind", "received_at", "due_at", "extended_to", "verification", "status", "user_id")
    list_filter = ("kind", "status", "verification")
    exclude = ("email", "message", "extension_reason")

    @admin.display(description=_("requester"))
    def user_id(self, obj: PrivacyRequest) -> str:
        return f"#{obj.user_id}" if obj.user_id else "—"


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.PRIVACY_POLICY_MANAGE
    list_display = ("number", "status", "effective_at", "published_at", "notify_done_at")
