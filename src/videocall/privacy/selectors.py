"""Privacy reads. Functions that show staff data check the caller's permission first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery

from videocall.core.errors import NotFound
from videocall.core.permissions import Perm, require_perm
from videocall.privacy.consents import CONSENT_PURPOSES, RESTRICTED_PURPOSES, ConsentPurpose
from videocall.privacy.models import (
    ConsentRecord,
    DataExport,
    PageView,
    PolicyNotice,
    PolicyVersion,
    PrivacyRequest,
    Processor,
)


def policy_current() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).order_by("-number").first()


SEED_POLICY = Path(__file__).resolve().parent / "seed" / "privacy-policy-v1.md"


def policy_seed_version() -> PolicyVersion:
    """The seed policy as an unsaved version 1, shown if the database holds no version at all
    (e.g. a test database flushed after its data migration ran)."""
    from datetime import UTC, datetime

    return PolicyVersion(
        number=1,
        text=SEED_POLICY.read_text(encoding="utf-8"),
        summary="",
        effective_at=datetime(2026, 1, 1, tzinfo=UTC),
        status=PolicyVersion.Status.PUBLISHED,
    )


def policy_current_number() -> int | None:
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )


def policy_published() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).order_by("-number")


def reconsent_floor(purpose: ConsentPurpose) -> int:
    """The newest published version that changed ``purpose``: older grants no longer count (R3)."""
    floor = 0
    for number, purposes in PolicyVersion.objects.filter(
        status=PolicyVersion.Status.PUBLISHED, reconsent_purposes__contains=purpose.value
    ).values_list("number", "reconsent_purposes"):
        if purpose.value in purposes.split(","):
            floor = max(floor, number)
    return floor


def _granted(records: QuerySet[ConsentRecord], purpose: ConsentPurpose) -> bool:
    latest = (
        records.filter(purpose=purpose.value).order_by("-id").values_list("granted", "policy_version").first()
    )
    if not latest or not latest[0]:
        return False
    floor = reconsent_floor(purpose)
    return floor == 0 or (latest[1] or 0) >= floor


def has_consent(user: Any, purpose: ConsentPurpose) -> bool:
    """The user's current choice for ``purpose``; privacy by default: no record means no consent.

    A restricted account (GDPR Art. 18) counts as not consenting to analytics and marketing, and a grant
    given before a policy version that changed the purpose counts as not given (consent is asked again).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_deleted", False):
        return False
    if getattr(user, "is_restricted", False) and purpose in RESTRICTED_PURPOSES:
        return False
    return _granted(ConsentRecord.objects.filter(user=user), purpose)


def consenting_users(purpose: ConsentPurpose) -> QuerySet[Any]:
    """Every account whose current choice for ``purpose`` is consent: the same rule as
    :func:`has_consent`, as one query (for counts over many people, e.g. the usage trends).

    Deleted accounts never count, restricted ones not for the restricted purposes, and a grant given
    before the newest policy version that changed the purpose does not count (consent is asked again).
    """
    latest = ConsentRecord.objects.filter(user=OuterRef("pk"), purpose=purpose.value).order_by("-id")
    users = get_user_model()._default_manager.filter(is_deleted=False)
    if purpose in RESTRICTED_PURPOSES:
        users = users.filter(is_restricted=False)
    users = users.annotate(
        _consent_granted=Subquery(latest.values("granted")[:1]),
        _consent_version=Subquery(latest.values("policy_version")[:1]),
    ).filter(_consent_granted=True)
    floor = reconsent_floor(purpose)
    if floor:
        users = users.filter(_consent_version__gte=floor)
    return users


def visitor_has_consent(visitor_id: str, purpose: ConsentPurpose) -> bool:
    if not visitor_id:
        return False
    return _granted(ConsentRecord.objects.filter(user__isnull=True, visitor_id=visitor_id), purpose)


def consent_choices(user: Any) -> dict[ConsentPurpose, bool]:
    return {purpose: has_consent(user, purpose) for purpose in CONSENT_PURPOSES}


def visitor_consent_choices(visitor_id: str) -> dict[ConsentPurpose, bool]:
    return {purpose: visitor_has_consent(visitor_id, purpose) for purpose in CONSENT_PURPOSES}


def consent_history(user: Any) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).order_by("-id")


def notice_pending(user: Any) -> PolicyNotice | None:
    """The notice of the current version this user has not acknowledged yet, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    current = policy_current()
    if current is None:
        return None
    return PolicyNotice.objects.filter(user=user, version=current, acknowledged_at__isnull=True).first()


def export_for_owner(*, user: Any, export_id: Any) -> DataExport:
    """An export of the caller's own; anyone else's is "not found" (IDOR rule S14)."""
    export = DataExport.objects.filter(pk=export_id, user=user).first()
    if export is None:
        raise NotFound()
    return export


def exports_of(user: Any) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).order_by("-requested_at")


def processors_public() -> QuerySet[Processor]:
    return Processor.objects.filter(active=True).order_by("name")


def requests_for_desk(*, actor: Any, status: str = "") -> QuerySet[PrivacyRequest]:
    require_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE)
    qs = PrivacyRequest.objects.all().order_by("due_at")
    if status:
        qs = qs.filter(status=status)
    return qs


def request_for_desk(*, actor: Any, request_id: int) -> PrivacyRequest:
    require_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE)
    found = PrivacyRequest.objects.filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found


def page_view_counts(*, since: Any) -> dict[str, int]:
    """Consented first-party page views per path since ``since`` (for telemetry's usage analytics)."""
    from django.db.models import Count

    rows = PageView.objects.filter(created_at__gte=since).values("path").annotate(n=Count("id"))
    return {row["path"]: row["n"] for row in rows}
