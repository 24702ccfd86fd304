"""Reads of the telemetry app, permission-checked where they serve staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDay, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.accounts.models import Device, User
from videocall.core.errors import NotFound
from videocall.core.permissions import Perm, require_perm
from videocall.core.ports import Series, UsageWindow, usage_series
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import consenting_users
from videocall.telemetry.errors import TelemetryError
from videocall.telemetry.models import AccessLogEntry, CrashGroup, CrashReport

MAX_ID = 2**63 - 1  # ids from URLs beyond a bigint are simply not found (never a database error)


def valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


# URL names of the crash intake: a session that posted a crash report is a crashed session.
CRASH_ROUTES = ("telemetry_crash_envelope", "telemetry_crash_store", "api:telemetry_crash_submit")


# --- Devices and sessions -------------------------------------------------------------------------


def devices_for(user: Any) -> QuerySet[Device]:
    """The user's own devices, most recently seen first (for the sessions-and-devices page)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Device.objects.none()
    return Device.objects.filter(user=user).order_by("-last_seen_at", "-id")


def device_get(*, user: Any, device_id: int) -> Device:
    device = devices_for(user).filter(pk=device_id).first() if valid_id(device_id) else None
    if device is None:
        raise NotFound("No such device.", code=TelemetryError.DEVICE_NOT_FOUND)
    return device


@dataclass
class SessionSpan:
    session_hash: str
    started_at: datetime
    ended_at: datetime
    requests: int
    browser: str = ""
    os: str = ""
    country: str = ""
    auth: str = ""


def sessions_for(user: Any, *, limit: int = 50) -> list[SessionSpan]:
    """Session start and end timestamps, derived from the access log (first and last request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    spans = list(
        AccessLogEntry.objects.filter(user=user)
        .exclude(session_hash="")
        .values("session_hash")
        .annotate(started=Min("created_at"), ended=Max("created_at"), n=Count("id"))
        .order_by("-ended")[:limit]
    )
    result = []
    for span in spans:
        last = (
            AccessLogEntry.objects.filter(user=user, session_hash=span["session_hash"])
            .order_by("-created_at", "-id")
            .first()
        )
        result.append(
            SessionSpan(
                session_hash=span["session_hash"],
                started_at=span["started"],
                ended_at=span["ended"],
                requests=span["n"],
                browser=last.browser if last else "",
                os=last.os if last else "",
                country=last.country if last else "",
                auth=last.auth if last else "",
            )
        )
    return result


def access_log_for(user: Any) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(user=user).order_by("-created_at", "-id")


# --- Crash reports (staff) ------------------------------------------------------------------------


def crash_groups(*, actor: Any) -> QuerySet[CrashGroup]:
    require_perm(actor, Perm.CRASHES_VIEW)
    return CrashGroup.objects.select_related("project").order_by("-last_seen_at", "-id")


def crash_group_get(*, actor: Any, group_id: int) -> CrashGroup:
    require_perm(actor, Perm.CRASHES_VIEW)
    group = (
        CrashGroup.objects.select_related("project").filter(pk=group_id).first()
        if valid_id(group_id)
        else None
    )
    if group is None:
        raise NotFound("No such crash group.", code=TelemetryError.CRASH_GROUP_NOT_FOUND)
    return group


def crash_reports_of(*, actor: Any, group: CrashGroup) -> QuerySet[CrashReport]:
    require_perm(actor, Perm.CRASHES_VIEW)
    return group.reports.select_related("user").order_by("-received_at", "-id")


# --- Usage trends (staff) -------------------------------------------------------------------------


def analytics_user_ids() -> QuerySet[Any]:
    """Active users whose data may be counted: those who currently consent to ANALYTICS, by privacy's
    one consent rule (restricted accounts and grants that predate a re-consent policy version do not
    count). The basis is consent (docs/decisions/0006-analytics-basis.md)."""
    return consenting_users(ConsentPurpose.ANALYTICS).filter(is_active=True).values("pk")


@dataclass
class Trends:
    period: str
    buckets: list[date]
    series: list[Series]


def _buckets(start: date, end: date, period: str) -> list[date]:
    step = timedelta(days=7 if period == "week" else 1)
    current = UsageWindow.bucket_start(start, period)
    result = []
    while current <= end:
        result.append(current)
        current += step
    return result


def _trunc(field_name: str, period: str) -> Any:
    return TruncWeek(field_name, tzinfo=UTC) if period == "week" else TruncDay(field_name, tzinfo=UTC)


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _counted(qs: QuerySet[Any], field_name: str, period: str, agg: Any) -> dict[date, int]:
    rows = qs.annotate(bucket=_trunc(field_name, period)).values("bucket").annotate(n=agg).order_by()
    return {_as_date(r["bucket"]): int(r["n"]) for r in rows}


def usage_trends(*, actor: Any, period: str = "day", days: int = 30, today: date | None = None) -> Trends:
    """Daily or weekly figures over the last ``days`` days, counting only analytics-eligible users."""
    require_perm(actor, Perm.ANALYTICS_VIEW)
    period = "week" if period == "week" else "day"
    days = max(1, min(int(days), 366))
    end = today or timezone.now().astimezone(UTC).date()
    start = end - timedelta(days=days - 1)
    start_at = datetime.combine(UsageWindow.bucket_start(start, period), datetime.min.time(), tzinfo=UTC)
    end_at = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    buckets = _buckets(start, end, period)
    eligible = analytics_user_ids()

    log = AccessLogEntry.objects.filter(user_id__in=eligible, created_at__gte=start_at, created_at__lt=end_at)
    active = _counted(log, "created_at", period, Count("user", distinct=True))
    joined = _counted(
        User.objects.filter(pk__in=eligible, date_joined__gte=start_at, date_joined__lt=end_at),
        "date_joined",
        period,
        Count("id"),
    )
    deleted = _counted(
        User.objects.filter(
            is_deleted=True, is_restricted=False, deleted_at__gte=start_at, deleted_at__lt=end_at
        ),
        "deleted_at",
        period,
        Count("id"),
    )
    sessions = _counted(
        log.exclude(session_hash=""), "created_at", period, Count("session_hash", distinct=True)
    )
    crashed = _counted(
        log.exclude(session_hash="").filter(route__in=CRASH_ROUTES),
        "created_at",
        period,
        Count("session_hash", distinct=True),
    )

    def points(values: dict[date, int]) -> list[tuple[date, float | None]]:
        return [(b, float(values.get(b, 0))) for b in buckets]

    crash_free = [
        (b, round(100.0 * (1 - crashed.get(b, 0) / sessions[b]), 1) if sessions.get(b) else None)
        for b in buckets
    ]
    series = [
        Series("active_users", _("Active users"), _("users"), points(active)),
        Series("new_accounts", _("New accounts"), _("accounts"), points(joined)),
        Series("deleted_accounts", _("Deleted accounts"), _("accounts"), points(deleted)),
        *usage_series(UsageWindow(start_at, end_at, period, tuple(buckets))),  # meetings' figures, via core
        Series("crash_free_sessions", _("Crash-free sessions"), "%", crash_free),
    ]
    return Trends(period=period, buckets=buckets, series=series)
