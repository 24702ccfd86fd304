from typing import Any

from django.contrib import admin

from videocall.core.permissions import Perm, has_perm
from videocall.notifications.models import JobRecord


@admin.register(JobRecord)
class JobRecordAdmin(admin.ModelAdmin):
    """Read-only job list for staff with JOBS_VIEW (the fuller page is /notifications/jobs/)."""

    list_display = (
        "task_name",
        "state",
        "retries",
        "deliveries",
        "error",
        "queued_at",
        "started_at",
        "finished_at",
    )
    list_filter = ("state",)
    search_fields = ("task_id", "task_name")
    readonly_fields = (
        "task_id",
        "task_name",
        "state",
        "retries",
        "deliveries",
        "error",
        "worker",
        "queued_at",
        "started_at",
        "finished_at",
        "updated_at",
    )

    def has_module_permission(self, request: Any) -> bool:
        return has_perm(request.user, Perm.JOBS_VIEW)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.JOBS_VIEW)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
