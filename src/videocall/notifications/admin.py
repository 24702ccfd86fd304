from django.contrib import admin

from videocall.core.admin import ReadOnlyPermissionAdmin
from videocall.core.permissions import Perm
from videocall.notifications.models import JobRecord


@admin.register(JobRecord)
class JobRecordAdmin(ReadOnlyPermissionAdmin):
    """Read-only job list for staff with JOBS_VIEW (the fuller page is /notifications/jobs/)."""

    view_perm = Perm.JOBS_VIEW
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
