"""The privacy officer's desk: data-subject requests and their history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, ValidationFailed
from videocall.core.permissions import Perm, require_perm
from videocall.core.ports import notifier
from videocall.privacy.erasure import account_erase
from videocall.privacy.errors import PrivacyError
from videocall.privacy.exports import export_request
from videocall.privacy.models import (
    PrivacyRequest,
    PrivacyRequestEvent,
)

from .consent import restriction_set


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
        action=AuditAction.PRIVACY_REQUEST_RECEIVED,
        subject=request,
        metadata={"kind": kind, "channel": channel},
    )
    if request.email:
        notifier().email_send(
            to=request.email,
            kind="privacy.request_received",
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
        action=AuditAction.PRIVACY_REQUEST_UPDATED,
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
        raise Conflict(_("This request was already extended."), code=PrivacyError.ALREADY_EXTENDED)
    request.extended_to = request.due_at + timedelta(days=30 * months)
    request.extension_reason = reason[:2000]
    request.save(update_fields=["extended_to", "extension_reason"])
    _event(request, actor, "extended", reason[:2000])
    audit_record(
        actor=actor, action=AuditAction.PRIVACY_REQUEST_EXTENDED, subject=request, metadata={"months": months}
    )
    return request


@transaction.atomic
def privacy_request_run(*, actor: Any, request: PrivacyRequest, action: str) -> PrivacyRequest:
    """Run the same export / erasure / restriction services a user runs, for a verified requester."""
    require_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE)
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    user = request.user
    if user is None or user.is_deleted:
        raise Conflict(_("This request is not linked to an account."), code=PrivacyError.NO_ACCOUNT)
    if request.verification not in (
        PrivacyRequest.Verification.VERIFIED,
        PrivacyRequest.Verification.SIGNED_IN,
    ):
        raise Conflict(_("Verify the requester's identity first."), code=PrivacyError.IDENTITY_UNVERIFIED)
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
    audit_record(
        actor=actor, action=AuditAction.PRIVACY_REQUEST_ACTION, subject=request, metadata={"action": action}
    )
    return request
