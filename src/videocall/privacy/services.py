"""Privacy writes. Every function is one transaction and records its audit event.

Export and erasure live in :mod:`videocall.privacy.exports` and :mod:`videocall.privacy.erasure`
and are re-exported here so callers import every privacy write from one place.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from videocall.core.permissions import Perm, require_perm
from videocall.privacy.consents import CONSENT_PURPOSES, ConsentPurpose
from videocall.privacy.erasure import account_erase
from videocall.privacy.exports import export_download, export_request
from videocall.privacy.models import (
    ConsentRecord,
    LegalHold,
    PageView,
    PolicyNotice,
    PolicyVersion,
    PrivacyRequest,
    PrivacyRequestEvent,
)

__all__ = [
    "account_erase",
    "consent_set",
    "consents_set_many",
    "export_download",
    "export_request",
    "legal_hold_release",
    "legal_hold_set",
    "page_view_record",
    "policy_acknowledge",
    "policy_draft_save",
    "policy_publish",
    "privacy_request_create",
    "privacy_request_extend",
    "privacy_request_run",
    "privacy_request_update",
    "restriction_set",
    "unsubscribe_apply",
    "unsubscribe_check",
    "unsubscribe_headers",
    "unsubscribe_token",
    "user_flag_child",
]


def _current_number() -> int | None:
    from videocall.privacy.selectors import policy_current_number

    return policy_current_number()


# --- Consents -------------------------------------------------------------------------------------


@transaction.atomic
def consent_set(
    *,
    actor: Any,
    user: Any | None,
    purpose: ConsentPurpose,
    granted: bool,
    channel: str,
    visitor_id: str = "",
    policy_version: int | None = None,
) -> ConsentRecord:
    if channel not in ConsentRecord.Channel.values:
        raise ValidationFailed(_("Unknown consent channel."), code="invalid_channel")
    record = ConsentRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        visitor_id=visitor_id,
        purpose=purpose.value,
        granted=granted,
        channel=channel,
        policy_version=policy_version if policy_version is not None else _current_number(),
    )
    audit_record(
        actor=actor,
        action="consent.granted" if granted else "consent.withdrawn",
        subject=record,
        metadata={"purpose": purpose.value, "channel": channel},
    )
    return record


@transaction.atomic
def consents_set_many(
    *, actor: Any, user: Any | None, choices: dict[ConsentPurpose, bool], channel: str, visitor_id: str = ""
) -> list[ConsentRecord]:
    """The banner's "Accept all" / "Reject all" / "Save choices": one ledger row per purpose."""
    return [
        consent_set(
            actor=actor, user=user, purpose=purpose, granted=granted, channel=channel, visitor_id=visitor_id
        )
        for purpose, granted in choices.items()
    ]


# --- Restriction, objection and unsubscribe ------------------------------------------------------


@transaction.atomic
def restriction_set(*, actor: Any, user: Any, restricted: bool) -> Any:
    """Art. 18 (by the user or the privacy officer): data kept, excluded from analytics and marketing."""
    if actor is None or (actor.pk != user.pk and not _can(actor, Perm.PRIVACY_REQUESTS_MANAGE)):
        raise PermissionDenied()
    user.is_restricted = restricted
    user.save(update_fields=["is_restricted"])
    audit_record(
        actor=actor,
        action="privacy.restricted" if restricted else "privacy.restriction_lifted",
        subject=("accounts.user", user.pk),
    )
    return user


def _can(actor: Any, perm: Perm) -> bool:
    from videocall.core.permissions import has_perm

    return has_perm(actor, perm)


_UNSUBSCRIBE_SALT = "videocall.privacy.unsubscribe"


def unsubscribe_token(user: Any, purpose: ConsentPurpose) -> str:
    """A signed, non-expiring token naming a user and a purpose: the one-click unsubscribe link."""
    return signing.dumps({"u": user.pk, "p": purpose.value}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_headers(
    user: Any, purpose: ConsentPurpose = ConsentPurpose.MARKETING_EMAIL
) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers for a non-transactional email to ``user``."""
    url = settings.SITE_URL + reverse(
        "privacy:unsubscribe", kwargs={"token": unsubscribe_token(user, purpose)}
    )
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_check(*, token: str) -> tuple[Any, ConsentPurpose]:
    """The user and purpose a signed unsubscribe token names; 404 for anything else."""
    from videocall.accounts.models import User

    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        purpose = ConsentPurpose(data["p"])
        user = User.objects.get(pk=int(data["u"]), is_deleted=False)
    except (signing.BadSignature, KeyError, ValueError, TypeError, User.DoesNotExist) as exc:
        raise NotFound() from exc
    return user, purpose


@transaction.atomic
def unsubscribe_apply(*, token: str) -> ConsentRecord:
    """Withdraw the consent the token names (one click; no sign-in, by design of RFC 8058)."""
    user, purpose = unsubscribe_check(token=token)
    return consent_set(
        actor=user, user=user, purpose=purpose, granted=False, channel=ConsentRecord.Channel.EMAIL
    )


# --- Policy versions and change notices -----------------------------------------------------------


def _check_reconsent(purposes: list[str]) -> str:
    known = {p.value for p in CONSENT_PURPOSES}
    unknown = [p for p in purposes if p not in known]
    if unknown:
        raise ValidationFailed(_("Unknown consent purpose."), fields={"reconsent_purposes": unknown})
    return ",".join(sorted(set(purposes)))


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
            _("A published version cannot be changed; start a new draft."), code="policy_published"
        )
    version.text = text
    version.summary = summary
    version.effective_at = effective_at
    version.reconsent_purposes = purposes
    version.save()
    audit_record(
        actor=actor, action="privacy.policy_draft_saved", subject=version, metadata={"number": version.number}
    )
    return version


@transaction.atomic
def policy_publish(*, actor: Any, version: PolicyVersion) -> PolicyVersion:
    """Publish a draft and queue the change notices (alert + email per active user, in batches)."""
    from videocall.privacy.tasks import policy_notify

    require_perm(actor, Perm.PRIVACY_POLICY_MANAGE)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PolicyVersion.Status.DRAFT:
        raise Conflict(_("This version is already published."), code="policy_published")
    newer = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED, number__gt=version.number)
    if newer.exists():
        raise Conflict(_("A newer version is already published."), code="policy_outdated")
    version.status = PolicyVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        action="privacy.policy_published",
        subject=version,
        metadata={"number": version.number, "reconsent": version.reconsent_list},
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
    from videocall.accounts.models import User
    from videocall.notifications.services import notify

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
                notify(
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
                action="privacy.policy_notices_done",
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
        audit_record(
            actor=actor,
            action="privacy.policy_acknowledged",
            subject=notice,
            metadata={"number": version.number},
        )
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
        audit_record(actor=None, action="privacy.policy_continued_use", metadata={"notices": updated})
    return updated


# --- Analytics beacon -----------------------------------------------------------------------------


@transaction.atomic
def page_view_record(*, path: str) -> PageView:
    """Only called once consent was checked; stores a path and a time, nothing about the visitor."""
    return PageView.objects.create(path=path[:200])


# --- Privacy requests desk ------------------------------------------------------------------------


def _event(request: PrivacyRequest, actor: Any, action: str, note: str = "") -> None:
    PrivacyRequestEvent.objects.create(
        request=request,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        note=note,
    )


@transaction.atomic
def privacy_request_create(
    *,
    actor: Any,
    kind: str,
    message: str,
    user: Any = None,
    email: str = "",
    channel: str = "form",
    source_ticket_id: int | None = None,
) -> PrivacyRequest:
    from videocall.notifications.services import email_send

    if kind not in PrivacyRequest.Kind.values:
        raise ValidationFailed(_("Unknown request type."), fields={"kind": [_("Choose a request type.")]})
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if not signed_in and not email:
        raise ValidationFailed(
            _("An email address is needed to answer you."), fields={"email": [_("Required.")]}
        )
    received = timezone.now()
    account = user if signed_in else None
    if account is None and email:
        from videocall.accounts.models import User

        # Linked for the desk's convenience only: identity stays unverified until the officer verifies it
        # (never inherited from an earlier request of the same address).
        account = User.objects.filter(email=email, is_deleted=False).first()
    request = PrivacyRequest.objects.create(
        kind=kind,
        user=account,
        email=(email or (user.email if signed_in else ""))[:320],
        message=message[:10000],
        channel=channel[:16],
        source_ticket_id=source_ticket_id,
        verification=PrivacyRequest.Verification.SIGNED_IN
        if signed_in
        else PrivacyRequest.Verification.UNVERIFIED,
        received_at=received,
        due_at=received + timedelta(days=30),
    )
    _event(request, actor, "received", "")
    audit_record(
        actor=actor,
        action="privacy.request_received",
        subject=request,
        metadata={"kind": kind, "channel": channel},
    )
    if request.email:
        email_send(
            to=request.email,
            template="privacy_request_received",
            context={"reference": request.pk, "due_at": request.due_at, "kind": request.get_kind_display()},
        )
    return request


@transaction.atomic
def privacy_request_update(
    *, actor: Any, request: PrivacyRequest, status: str = "", verification: str = "", note: str = ""
) -> PrivacyRequest:
    require_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE)
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    if status:
        if status not in PrivacyRequest.Status.values:
            raise ValidationFailed(_("Unknown status."), fields={"status": [status]})
        request.status = status
        request.closed_at = timezone.now() if status in ("done", "rejected") else None
        _event(request, actor, f"status:{status}", note)
    if verification:
        if verification not in PrivacyRequest.Verification.values:
            raise ValidationFailed(_("Unknown verification state."), fields={"verification": [verification]})
        request.verification = verification
        _event(request, actor, f"verification:{verification}", note)
    if note and not (status or verification):
        _event(request, actor, "note", note)
    request.save()
    audit_record(
        actor=actor,
        action="privacy.request_updated",
        subject=request,
        metadata={"status": request.status, "verification": request.verification},
    )
    return request


@transaction.atomic
def privacy_request_extend(
    *, actor: Any, request: PrivacyRequest, months: int, reason: str
) -> PrivacyRequest:
    """Art. 12(3): up to two further months, with a reason the requester is told."""
    require_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE)
    if months not in (1, 2):
        raise ValidationFailed(_("An extension is one or two months."), fields={"months": [str(months)]})
    if not reason.strip():
        raise ValidationFailed(_("An extension needs a reason."), fields={"reason": [_("Required.")]})
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    if request.extended_to is not None:
        raise Conflict(_("This request was already extended."), code="already_extended")
    request.extended_to = request.due_at + timedelta(days=30 * months)
    request.extension_reason = reason[:2000]
    request.save(update_fields=["extended_to", "extension_reason"])
    _event(request, actor, "extended", reason[:2000])
    audit_record(actor=actor, action="privacy.request_extended", subject=request, metadata={"months": months})
    return request


@transaction.atomic
def privacy_request_run(*, actor: Any, request: PrivacyRequest, action: str) -> PrivacyRequest:
    """Run the same export / erasure / restriction services a user runs, for a verified requester."""
    require_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE)
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    user = request.user
    if user is None or user.is_deleted:
        raise Conflict(_("This request is not linked to an account."), code="no_account")
    if request.verification not in (
        PrivacyRequest.Verification.VERIFIED,
        PrivacyRequest.Verification.SIGNED_IN,
    ):
        raise Conflict(_("Verify the requester's identity first."), code="identity_unverified")
    if action == "export":
        export_request(actor=actor, user=user, privacy_request=request)
    elif action == "erase":
        account_erase(actor=actor, user=user, reason="privacy_request")
    elif action == "restrict":
        restriction_set(actor=actor, user=user, restricted=True)
    elif action == "unrestrict":
        restriction_set(actor=actor, user=user, restricted=False)
    else:
        raise ValidationFailed(_("Unknown action."), fields={"action": [action]})
    request.status = PrivacyRequest.Status.IN_PROGRESS if action == "export" else PrivacyRequest.Status.DONE
    if request.status == PrivacyRequest.Status.DONE:
        request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    _event(request, actor, f"run:{action}")
    audit_record(actor=actor, action="privacy.request_action", subject=request, metadata={"action": action})
    return request


# --- Legal holds and children ---------------------------------------------------------------------


@transaction.atomic
def legal_hold_set(*, actor: Any, user: Any, categories: list[str], reason: str, review_at: Any) -> LegalHold:
    from videocall.privacy.registry import Category

    require_perm(actor, Perm.PRIVACY_LEGAL_HOLDS)
    known = {c.value for c in Category}
    unknown = [c for c in categories if c not in known]
    if unknown or not categories:
        raise ValidationFailed(_("Name at least one known data category."), fields={"categories": unknown})
    if not reason.strip():
        raise ValidationFailed(_("A legal hold needs a reason."), fields={"reason": [_("Required.")]})
    hold = LegalHold.objects.create(
        user=user,
        categories=",".join(sorted(set(categories))),
        reason=reason,
        review_at=review_at,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="privacy.legal_hold_set",
        subject=hold,
        metadata={"categories": sorted(set(categories))},
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor: Any, hold: LegalHold) -> LegalHold:
    require_perm(actor, Perm.PRIVACY_LEGAL_HOLDS)
    hold.released_at = timezone.now()
    hold.save(update_fields=["released_at"])
    audit_record(actor=actor, action="privacy.legal_hold_released", subject=hold)
    return hold


@transaction.atomic
def user_flag_child(*, actor: Any, user: Any) -> dict[str, int]:
    """An account reported as a child's (R4, COPPA): erased like a deletion."""
    require_perm(actor, Perm.PRIVACY_FLAG_CHILD)
    if user.pk == actor.pk:
        raise Conflict(_("You cannot flag your own account."), code="self_flag")
    audit_record(actor=actor, action="privacy.flagged_under_age", subject=("accounts.user", user.pk))
    return account_erase(actor=actor, user=user, reason="under_age")
