"""The audit trail's action filter: every :class:`AuditAction` member with its number and label."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from videocall.audit.actions import APP_RANGES, AuditAction, action_choices, action_for
from videocall.core.admin import FormFilter


class ActionFilter(FormFilter):
    """A drop-down of the vocabulary grouped by app (its number range). ``?action_code=`` takes a
    member's value (that action), an app's name (every action of that app) or any other text (a
    prefix of the stored value, which also finds rows older than the vocabulary)."""

    title = _("action")
    parameter_name = "action_code"
    template = "audit/action_filter.html"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return [(value, label) for _app, members in action_choices() for value, label in members]

    def control_context(self) -> dict[str, Any]:
        value = self.value() or ""
        return {
            "prefix": value if value and action_for(value) is None and value not in APP_RANGES else "",
            "groups": [
                (app, f"{APP_RANGES[app].start}-{APP_RANGES[app].stop - 1}", members)
                for app, members in action_choices()
            ],
        }

    def queryset(self, request: Any, queryset: Any) -> Any:
        value = (self.value() or "").strip()[:64]
        if not value:
            return queryset
        if action_for(value) is not None:
            return queryset.filter(action=value)
        if value in APP_RANGES:
            return queryset.filter(action__in=[m.value for m in AuditAction if m.app == value])
        return queryset.filter(action__startswith=value)
