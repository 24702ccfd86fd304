"""Canned replies: texts agents start a reply from, managed by holders of Perm.SUPPORT_CANNED_MANAGE."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import PermissionDenied, ValidationFailed
from videocall.core.permissions import Perm, has_perm
from videocall.support.models import CannedReply


def _validate_canned(title: str, body: str) -> None:
    errors: dict[str, list[str]] = {}
    if not 1 <= len(title.strip()) <= 120:
        errors["title"] = [_("Between 1 and 120 characters.")]
    if not 1 <= len(body.strip()) <= 5000:
        errors["body"] = [_("Between 1 and 5000 characters.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)


@transaction.atomic
def canned_reply_create(*, actor: Any, title: str, body: str) -> CannedReply:
    if not has_perm(actor, Perm.SUPPORT_CANNED_MANAGE):
        raise PermissionDenied()
    _validate_canned(title, body)
    canned = CannedReply.objects.create(title=title.strip(), body=body.strip(), created_by=actor)
    audit_record(actor=actor, action=AuditAction.SUPPORT_CANNED_CREATE, subject=canned)
    return canned


@transaction.atomic
def canned_reply_update(
    *, actor: Any, canned: CannedReply, title: str, body: str, is_active: bool = True
) -> CannedReply:
    if not has_perm(actor, Perm.SUPPORT_CANNED_MANAGE):
        raise PermissionDenied()
    _validate_canned(title, body)
    canned.title, canned.body, canned.is_active = title.strip(), body.strip(), is_active
    canned.save()
    audit_record(actor=actor, action=AuditAction.SUPPORT_CANNED_UPDATE, subject=canned)
    return canned


@transaction.atomic
def canned_reply_delete(*, actor: Any, canned: CannedReply) -> None:
    if not has_perm(actor, Perm.SUPPORT_CANNED_MANAGE):
        raise PermissionDenied()
    audit_record(
        actor=actor, action=AuditAction.SUPPORT_CANNED_DELETE, subject=("support.cannedreply", canned.pk)
    )
    canned.delete()
