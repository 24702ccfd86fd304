"""Policy versions: drafts, publication, change notices, acknowledgement and continued use."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, NotFound, ValidationFailed
from videocall.core.permissions import Perm, require_perm
from videocall.core.ports import notifier
from videocall.privacy.consents import CONSENT_PURPOSES, ConsentPurpose
from videocall.privacy.errors import PrivacyError
from videocall.privacy.models import (
    PageView,
    PolicyNotice,
    PolicyVersion,
)
from videocall.privacy.tasks import policy_notify


def _check_reconsent(purposes: list[str]) -> str:
    known = {p.value for p in CONSENT_PURPOSES}
    unknown = [p for p in purposes if p not in known]
    if unknown:
        raise ValidationFailed(_("Unknown consent purpose."), fields={"reconsent_purposes": unknown})
    return ",".join(sorted(set(purposes)))


def _audit_policy(
    actor: Any, action: AuditAction, subject: Any, version: PolicyVersion, **metadata: Any
) -> None:
    """A policy event names the version by its number."""
    audit_record(actor=actor, action=action, subject=subject, metadata={"number": version.number, **metadata})


@transaction.atomic
def policy_draft_save(
    *,
    actor: Any,
    text: str,
    summary: str,
    effective_at: Any,
    reconsent_purposes: list[str] | None = None,
    version: PolicyVersion | None = None,
) -> PolicyVersion:
    require_perm(actor, Perm.PRIVACY_POLICY_MANAGE)
    if not text.strip():
        raise ValidationFailed(_("The policy text is empty."), fields={"text": [_("Required.")]})
    purposes = _check_reconsent(reconsent_purposes or [])
    if version is None:
        last = PolicyVersion.objects.select_for_update().order_by("-number").first()
        version = PolicyVersion(number=(last.number + 1) if last else 1, created_by=actor)
    elif version.status != PolicyVersion.Status.DRAFT:
        raise Conflict(
            _("A published version cannot be changed; start a new draft."), code=PrivacyError.POLICY_PUBLISHED
        )
    version.text = text
    version.summary = summary
    version.effective_at = effective_at
    version.reconsent_purposes = purposes
    version.save()
    _audit_policy(actor, AuditAction.PRIVACY_POLICY_DRAFT_SAVED, version, version)
    return version


@transaction.atomic
def policy_publish(*, actor: Any, version: PolicyVersion) -> PolicyVersion:
    """Publish a draft and queue the change notices (alert + email per active user, in batches)."""
    require_perm(actor, Perm.PRIVACY_POLICY_MANAGE)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PolicyVersion.Status.DRAFT:
        raise Conflict(_("This version is already published."), code=PrivacyError.POLICY_PUBLISHED)
    newer = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED, number__gt=version.number)
    if newer.exists():
        raise Conflict(_("A newer version is already published."), code=PrivacyError.POLICY_OUTDATED)
    version.status = PolicyVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    _audit_policy(
        actor, AuditAction.PRIVACY_POLICY_PUBLISHED, version, version, reconsent=version.reconsent_list
    )
    version_id = version.pk
    transaction.on_commit(lambda: policy_notify.delay(version_id))
    return version


def policy_notify_batch(*, version_id: int, batch: int) -> int:
    """Notify the next ``batch`` active users without a notice row for the version; returns how many.

    Resumable and idempotent: the per-user ``PolicyNotice`` row (unique per version and user) is
    created in the same transaction as the alert and the queued email, so a retried or restarted
    task skips everyone already notified.
    """
    version = PolicyVersion.objects.get(pk=version_id)
    if version.status != PolicyVersion.Status.PUBLISHED:
        return 0
    pending = (
        User.objects.filter(is_active=True, is_deleted=False, pk__gt=version.notify_cursor)
        .exclude(policy_notices__version=version)
        .order_by("pk")[:batch]
    )
    sent = 0
    for user in pending:
        with transaction.atomic():
            _notice, created = PolicyNotice.objects.get_or_create(version=version, user=user)
            if created:
                notifier().notify(
                    user=user,
                    kind="privacy.policy_changed",
                    title=_("Our privacy policy changes on %(date)s")
                    % {"date": version.effective_at.date().isoformat()},
                    body=version.summary,
                    url=reverse("privacy:policy"),
                    email_template="privacy_policy_changed",
                    context={
                        "version": version,
                        "reconsent": [
                            str(CONSENT_PURPOSES[ConsentPurpose(p)].label) for p in version.reconsent_list
                        ],
                    },
                )
                sent += 1
            PolicyVersion.objects.filter(pk=version.pk, notify_cursor__lt=user.pk).update(
                notify_cursor=user.pk
            )
    if sent == 0 and not pending:
        with transaction.atomic():
            PolicyVersion.objects.filter(pk=version.pk, notify_done_at__isnull=True).update(
                notify_done_at=timezone.now()
            )
            audit_record(
                actor=None,
                action=AuditAction.PRIVACY_POLICY_NOTICES_DONE,
                subject=version,
                metadata={"notices": version.notices.count()},
            )
    return sent


@transaction.atomic
def policy_acknowledge(*, actor: Any, version: PolicyVersion) -> PolicyNotice:
    if version.status != PolicyVersion.Status.PUBLISHED:
        raise NotFound()
    notice, _created = PolicyNotice.objects.get_or_create(version=version, user=actor)
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.save(update_fields=["acknowledged_at"])
        _audit_policy(actor, AuditAction.PRIVACY_POLICY_ACKNOWLEDGED, notice, version)
    return notice


@transaction.atomic
def policy_record_continued_use(*, now: Any = None) -> int:
    """Record continued use after the effective date (the policy's section 10) from sign-in activity."""
    from allauth.usersessions.models import UserSession
    from django.db.models import Max

    now = now or timezone.now()
    updated = 0
    notices = PolicyNotice.objects.filter(
        acknowledged_at__isnull=True, continued_use_at__isnull=True, version__effective_at__lte=now
    ).select_related("version", "user")
    for notice in notices.iterator(chunk_size=500):
        seen = UserSession.objects.filter(user=notice.user).aggregate(last=Max("last_seen_at"))["last"]
        candidates = [t for t in (seen, notice.user.last_login) if t is not None]
        used = max(candidates) if candidates else None
        if used is not None and used >= notice.version.effective_at:
            notice.continued_use_at = used
            notice.save(update_fields=["continued_use_at"])
            updated += 1
    if updated:
        audit_record(
            actor=None, action=AuditAction.PRIVACY_POLICY_CONTINUED_USE, metadata={"notices": updated}
        )
    return updated


@transaction.atomic
def page_view_record(*, path: str) -> PageView:
    """Only called once consent was checked; stores a path and a time, nothing about the visitor."""
    return PageView.objects.create(path=path[:200])
