"""The audit trail viewer: filters (actor, subject, action, time), CSV export, chain status.

A console page of the staff app (which owns the console and the chain checks); the audit app below it
keeps only the log itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from videocall.audit.actions import AuditAction, action_for
from videocall.audit.filters import ActionFilter
from videocall.audit.models import AuditEvent, ChainCheck
from videocall.audit.services import audit_record
from videocall.core.admin import ReadOnlyPermissionAdmin
from videocall.core.csvsafe import SafeWriter
from videocall.core.permissions import Perm, has_perm
from videocall.staff.filters import ActorFilter, SinceFilter, SubjectFilter, UntilFilter
from videocall.staff.services import audit_chain_check

CSV_COLUMNS = (
    "id",
    "created_at",
    "actor_kind",
    "actor_id",
    "action",
    "subject_type",
    "subject_id",
    "metadata",
    "ip_country",
    "prev_hash",
    "hash",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.AUDIT_VIEW
    extra_url_perms = {"export": Perm.AUDIT_EXPORT, "verify": Perm.AUDIT_VIEW}
    list_display = (
        "id",
        "created_at",
        "actor_kind",
        "actor_id",
        "action_name",
        "subject_type",
        "subject_id",
        "ip_country",
    )
    list_filter = (ActorFilter, SubjectFilter, ActionFilter, SinceFilter, UntilFilter)
    date_hierarchy = "created_at"
    list_per_page = 100
    show_full_result_count = False
    ordering = ("-id",)
    change_list_template = "audit/auditevent_changelist.html"
    fields = CSV_COLUMNS
    readonly_fields = CSV_COLUMNS

    @admin.display(description=gettext_lazy("action"), ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        """The member's label, its stored value and its number (a value no member carries: as stored)."""
        member = action_for(obj.action)
        if member is None:
            return obj.action
        return format_html("{} <code>{}</code> <small>#{}</small>", member.label, member.value, member.number)

    def get_urls(self) -> list[Any]:
        site = self.admin_site
        return [
            path("export.csv", site.admin_view(self.export_view), name="audit_auditevent_export"),
            path("verify/", site.admin_view(require_POST(self.verify_view)), name="audit_auditevent_verify"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        context = {
            "chain_check": ChainCheck.objects.order_by("-id").first(),
            "can_export": has_perm(request.user, Perm.AUDIT_EXPORT),
            "export_query": request.GET.urlencode(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The filtered events as CSV (the same filters as the list); the export itself is audited."""
        if not has_perm(request.user, Perm.AUDIT_EXPORT):
            raise DjangoPermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request).order_by("id")
        count = queryset.count()
        audit_record(
            actor=request.user,
            action=AuditAction.AUDIT_EXPORTED,
            metadata={"rows": count, "filters": sorted(k for k in request.GET if k != "o")[:10]},
        )
        writer = SafeWriter(_Echo())

        def rows() -> Iterator[str]:
            yield writer.writerow(CSV_COLUMNS)
            for event in queryset.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        event.pk,
                        event.created_at.isoformat(),
                        event.actor_kind,
                        event.actor_id,
                        event.action,
                        event.subject_type,
                        event.subject_id,
                        _json(event.metadata),
                        event.ip_country,
                        event.prev_hash,
                        event.hash,
                    ]
                )

        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        if not has_perm(request.user, Perm.AUDIT_VIEW):
            raise DjangoPermissionDenied
        check = audit_chain_check(actor=request.user)
        if check.ok:
            messages.success(request, _("Audit chain intact: %(n)s events verified.") % {"n": check.checked})
        else:
            messages.error(
                request,
                _("Audit chain broken at event #%(id)s: %(reason)s")
                % {"id": check.broken_at, "reason": check.reason},
            )
        return HttpResponseRedirect(reverse("admin:audit_auditevent_changelist"))


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
