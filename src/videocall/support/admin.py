"""Staff console entries. Tickets and messages are read-only here (the desk at /support/desk/ is where
they are worked); requester identity and message text are masked or left out of the lists."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.admin import PermissionAdmin, ReadOnlyPermissionAdmin
from videocall.core.masking import mask_email, mask_text
from videocall.core.permissions import Perm
from videocall.support.canned import canned_reply_delete
from videocall.support.models import CannedReply, PIIReveal, Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.SUPPORT_QUEUE
    list_display = (
        "id",
        "category",
        "status",
        "priority",
        "masked_requester",
        "masked_email",
        "assignee",
        "created_at",
    )
    list_filter = ("status", "category", "priority")
    fields = (
        "id",
        "category",
        "status",
        "priority",
        "masked_requester",
        "masked_email",
        "assignee",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
    )
    readonly_fields = fields
    ordering = ("-created_at",)

    def get_queryset(self, request: HttpRequest) -> Any:
        # Privacy inquiries belong to the privacy desk, like on /support/desk/.
        return Ticket.objects.agent_queue().select_related("requester", "assignee")

    @admin.display(description=_("requester"))
    def masked_requester(self, obj: Ticket) -> str:
        return mask_text(obj.requester_name)

    @admin.display(description=_("email"))
    def masked_email(self, obj: Ticket) -> str:
        return mask_email(obj.requester_email)


@admin.register(CannedReply)
class CannedReplyAdmin(PermissionAdmin):
    """Agents read the replies; SUPPORT_CANNED_MANAGE adds, edits and deletes them."""

    view_perm = Perm.SUPPORT_QUEUE
    change_perm = Perm.SUPPORT_CANNED_MANAGE
    audit_changes = False  # the support app's own audit events are written below
    list_display = ("title", "is_active", "updated_at")
    fields = ("title", "body", "is_active")
    search_fields = ("title",)

    def save_model(self, request: HttpRequest, obj: CannedReply, form: Any, change: bool) -> None:

        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.SUPPORT_CANNED_UPDATE if change else AuditAction.SUPPORT_CANNED_CREATE,
            subject=obj,
        )

    def delete_model(self, request: HttpRequest, obj: CannedReply) -> None:
        canned_reply_delete(actor=request.user, canned=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for canned in queryset:
            canned_reply_delete(actor=request.user, canned=canned)


@admin.register(PIIReveal)
class PIIRevealAdmin(ReadOnlyPermissionAdmin):
    """Who looked at which requester's identity, when; the reason is shown only on the detail page."""

    view_perm = Perm.AUDIT_VIEW
    list_display = ("created_at", "agent", "ticket")
    fields = ("created_at", "agent", "ticket", "reason")
    readonly_fields = fields
