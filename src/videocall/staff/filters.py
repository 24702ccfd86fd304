"""List filters for console pages: free-text inputs (GET forms, no JavaScript)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from videocall.core.admin import FormFilter


class InputFilter(FormFilter):
    """A list filter rendered as a text box; the value reaches :meth:`filter` as a string."""

    template = "admin/staff_input_filter.html"
    input_type = "text"

    def lookups(self, request: Any, model_admin: Any) -> Any:
        return (("", ""),)  # one dummy choice so the filter is shown

    def control_context(self) -> dict[str, Any]:
        return {"input_type": self.input_type}

    def queryset(self, request: Any, queryset: Any) -> Any:
        value = (self.value() or "").strip()
        if not value:
            return queryset
        return self.filter(queryset, value)

    def filter(self, queryset: Any, value: str) -> Any:
        raise NotImplementedError


def parse_moment(value: str, *, end: bool = False) -> datetime | None:
    """``2026-11-27`` (start or end of that day, UTC) or an ISO date-time."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            return None
        moment = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


class ActorFilter(InputFilter):
    title = _("actor id")
    parameter_name = "actor"

    def filter(self, queryset: Any, value: str) -> Any:
        if value.isdigit():
            return queryset.filter(actor_id=int(value))
        if value in {"system", "anonymous"} or value.isidentifier():
            return queryset.filter(actor_id__isnull=True, actor_kind=value[:16])
        return queryset.none()


class SubjectFilter(InputFilter):
    title = _("subject (type:id, type or id)")
    parameter_name = "subject"

    def filter(self, queryset: Any, value: str) -> Any:
        kind, sep, ident = value.rpartition(":")
        if sep:
            return queryset.filter(subject_type=kind[:64], subject_id=ident[:64])
        if "." in value:
            return queryset.filter(subject_type=value[:64])
        return queryset.filter(subject_id=value[:64])


class SinceFilter(InputFilter):
    title = _("from (YYYY-MM-DD)")
    parameter_name = "since"
    input_type = "date"

    def filter(self, queryset: Any, value: str) -> Any:
        moment = parse_moment(value)
        return queryset.none() if moment is None else queryset.filter(created_at__gte=moment)


class UntilFilter(InputFilter):
    title = _("until (YYYY-MM-DD)")
    parameter_name = "until"
    input_type = "date"

    def filter(self, queryset: Any, value: str) -> Any:
        moment = parse_moment(value, end=True)
        return queryset.none() if moment is None else queryset.filter(created_at__lte=moment)
