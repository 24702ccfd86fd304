"""Staff console entries. Tickets and messages are read-only here (the desk at /support/desk/ is where
they are worked); requester identity and message text are masked or left out of the lists."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocall.core.permissions import Perm, has_perm
from videocall.support.models import CannedReply, PIIReveal, Ticket
from videocall.support.selectors import mask_email, mask_name


class _ReadOnlyByPerm(admin.ModelAdmin):
    view_perm: Perm = Perm.SUPPORT_QUEUE

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.view_perm)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, self.view_perm)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(_ReadOnlyByPerm):
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
        return mask_name(obj.requester_name)

    @admin.display(description=_("email"))
    def masked_email(self, obj: Ticket) -> str:
        return mask_email(obj.requester_email)


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "is_active", "updated_at")
    fields = ("title", "body", "is_active")
    search_fields = ("title",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.SUPPORT_CANNED_MANAGE) or has_perm(
            request.user, Perm.SUPPORT_QUEUE
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.SUPPORT_CANNED_MANAGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.SUPPORT_CANNED_MANAGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.SUPPORT_CANNED_MANAGE)

    def save_model(self, request: HttpRequest, obj: CannedReply, form: Any, change: bool) -> None:
        from videocall.audit.services import audit_record

        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="support.canned_update" if change else "support.canned_create",
            subject=obj,
        )


@admin.register(PIIReveal)
class PIIRevealAdmin(_ReadOnlyByPerm):
    """Who looked at which requester's identity, when; the reason is shown only on the detail page."""

    view_perm = Perm.AUDIT_VIEW
    list_display = ("created_at", "agent", "ticket")
    fields = ("created_at", "agent", "ticket", "reason")
    readonly_fields = fields
