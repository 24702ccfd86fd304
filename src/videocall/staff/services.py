"""Staff-console writes: user management, personal-data reveal, incidents, chain checks.

Every function takes keyword-only arguments with ``actor=``, checks the actor's permission, runs in
one transaction and writes its audit event (metadata: ids, codes and counts only).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.accounts.services import sessions_revoke_all
from videocall.audit.actions import AuditAction
from videocall.audit.models import ChainCheck
from videocall.audit.services import audit_record, audit_verify
from videocall.core.datamap import Category
from videocall.core.errors import Conflict, NotFound, ValidationFailed
from videocall.core.masking import reveal_reason_clean
from videocall.core.metrics import AUDIT_CHAIN_BROKEN
from videocall.core.permissions import Perm, Role, require_perm
from videocall.notifications.services import notify
from videocall.staff.errors import StaffError
from videocall.staff.models import Incident, RevealRecord

# --- users ----------------------------------------------------------------------------------------


@transaction.atomic
def user_force_sign_out(*, actor: Any, user: Any) -> int:
    require_perm(actor, Perm.USERS_MANAGE)
    ended = sessions_revoke_all(actor=actor, user=user, reason="staff_signed_out")
    audit_record(
        actor=actor, action=AuditAction.STAFF_USER_SIGNED_OUT, subject=user, metadata={"sessions": ended}
    )
    return ended


@transaction.atomic
def user_deactivate(*, actor: Any, user: Any) -> None:
    """Deactivate the account and end all its sessions and tokens (S9)."""
    require_perm(actor, Perm.USERS_MANAGE)
    if user.pk == actor.pk:
        raise Conflict(_("You cannot deactivate your own account."), code=StaffError.OWN_ACCOUNT)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_revoke_all(actor=actor, user=user, reason="account_deactivated")
    audit_record(
        actor=actor, action=AuditAction.STAFF_USER_DEACTIVATED, subject=user, metadata={"sessions": ended}
    )


@transaction.atomic
def user_activate(*, actor: Any, user: Any) -> None:
    require_perm(actor, Perm.USERS_MANAGE)
    if user.is_deleted:
        raise Conflict(_("A deleted account cannot be activated."), code=StaffError.DELETED_ACCOUNT)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditAction.STAFF_USER_ACTIVATED, subject=user)


@transaction.atomic
def user_reset_mfa(*, actor: Any, user: Any) -> int:
    """Remove every sign-in factor (TOTP, recovery codes, passkeys) so the user can enrol again;
    the user is told by email and their sessions end."""
    from allauth.mfa.models import Authenticator

    require_perm(actor, Perm.USERS_MANAGE)
    removed, _detail = Authenticator.objects.filter(user=user).delete()
    ended = sessions_revoke_all(actor=actor, user=user, reason="mfa_reset")
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_USER_MFA_RESET,
        subject=user,
        metadata={"authenticators": removed, "sessions": ended},
    )
    if not user.is_deleted:
        notify(
            user=user,
            kind="security.mfa_reset",
            title=_("Your two-step sign-in was reset"),
            body=_(
                "An administrator removed your two-step sign-in factors at your request. Sign in and set "
                "them up again. If you did not ask for this, contact support at once."
            ),
            email_template="generic",
        )
    return int(removed)


@transaction.atomic
def user_set_roles(*, actor: Any, user: Any, roles: Iterable[Role]) -> None:
    require_perm(actor, Perm.USERS_ASSIGN_ROLES)
    wanted = {Role(r) for r in roles} | {Role.MEMBER}
    if user.pk == actor.pk:
        raise Conflict(_("You cannot change your own roles."), code=StaffError.OWN_ACCOUNT)
    if user.is_deleted:
        raise Conflict(_("A deleted account cannot get roles."), code=StaffError.DELETED_ACCOUNT)
    before = user.roles
    user.set_roles(sorted(wanted))
    if hasattr(user, "_perm_cache"):
        del user._perm_cache
    if hasattr(user, "_group_perm_cache"):
        del user._group_perm_cache
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_USER_ROLES_CHANGED,
        subject=user,
        metadata={
            "added": sorted(r.value for r in wanted - before),
            "removed": sorted(r.value for r in before - wanted),
        },
    )


# --- personal data reveal -------------------------------------------------------------------------


@transaction.atomic
def pii_reveal(*, actor: Any, subject: Model, field: str, reason: str) -> str:
    """Return the clear value of ``subject.<field>`` to a staff member who gave a reason.

    Other apps' console pages reuse this through :class:`videocall.core.admin.PermissionAdmin`'s
    ``masked_fields`` (the reveal page calls it); it can also be called directly. The reason is kept
    encrypted in a :class:`RevealRecord`; the audit event names only the field and the record id.
    """
    require_perm(actor, Perm.PII_REVEAL)
    reason = reveal_reason_clean(reason)
    try:
        subject._meta.get_field(field)
    except Exception:
        raise NotFound() from None
    value = getattr(subject, field, "")
    record = RevealRecord.objects.create(
        actor=actor,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        field=field,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_PII_REVEALED,
        subject=subject,
        metadata={"field": field, "reveal": record.pk},
    )
    return "" if value is None else str(value)


# --- incidents ------------------------------------------------------------------------------------

INCIDENT_FIELDS = (
    "title",
    "description",
    "aware_at",
    "severity",
    "affected_categories",
    "affected_count",
    "authority_notified_at",
    "authority_reference",
    "users_decision",
    "users_decision_at",
    "users_decision_reason",
    "users_notified_at",
    "status",
)


def incident_decision_problems(
    *, users_decision: str | None, users_decision_reason: str | None, status: str | None
) -> list[tuple[str, str, StaffError]]:
    """The register's rules on the decision about notifying users (Art. 34), as (field, message, code):
    a decision other than "pending" needs its reason, and a closed incident needs a decision. The
    console form shows them on its fields; the services refuse the save. ``None``: not given."""
    problems: list[tuple[str, str, StaffError]] = []
    decided = users_decision is not None and users_decision != Incident.UsersDecision.PENDING
    if decided and not (users_decision_reason or "").strip():
        problems.append(
            (
                "users_decision_reason",
                _("Record the reason for the decision on notifying users."),
                StaffError.REASON,
            )
        )
    if status == Incident.Status.CLOSED and users_decision == Incident.UsersDecision.PENDING:
        problems.append(
            (
                "users_decision",
                _("Decide on notifying users before closing the incident."),
                StaffError.DECISION_PENDING,
            )
        )
    return problems


def _incident_validate(incident: Incident) -> None:
    unknown = set(incident.affected_categories or []) - set(Category)
    if unknown:
        raise ValidationFailed(_("Unknown data category."), code=StaffError.CATEGORY)
    problems = incident_decision_problems(
        users_decision=incident.users_decision,
        users_decision_reason=incident.users_decision_reason,
        status=incident.status,
    )
    if problems:
        _field, message, code = problems[0]
        raise ValidationFailed(message, code=code)
    if incident.users_decision != Incident.UsersDecision.PENDING and incident.users_decision_at is None:
        incident.users_decision_at = timezone.now()


@transaction.atomic
def incident_create(
    *, actor: Any, title: str, severity: str, aware_at: datetime | None = None, **fields: Any
) -> Incident:
    require_perm(actor, Perm.INCIDENTS_MANAGE)
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), code=StaffError.FIELD)
    incident = Incident(
        title=title, severity=severity, aware_at=aware_at or timezone.now(), created_by=actor, **fields
    )
    _incident_validate(incident)
    incident.save()
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_INCIDENT_CREATED,
        subject=incident,
        metadata={"severity": incident.severity, "categories": sorted(incident.affected_categories)},
    )
    return incident


@transaction.atomic
def incident_update(*, actor: Any, incident: Incident, **fields: Any) -> Incident:
    require_perm(actor, Perm.INCIDENTS_MANAGE)
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), code=StaffError.FIELD)
    before = {name: getattr(incident, name) for name in fields}
    for name, value in fields.items():
        setattr(incident, name, value)
    _incident_validate(incident)
    incident.save()
    changed = sorted(name for name in fields if before[name] != getattr(incident, name))
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_INCIDENT_UPDATED,
        subject=incident,
        metadata={"fields": changed, "status": incident.status, "users_decision": incident.users_decision},
    )
    return incident


# --- audit chain ----------------------------------------------------------------------------------


def _alert_recipients() -> list[Any]:
    """Active accounts holding INCIDENTS_MANAGE (administrators and the privacy officer)."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    return list(
        User.objects.filter(
            is_active=True,
            is_deleted=False,
            groups__permissions__codename=Perm.INCIDENTS_MANAGE.value,
            groups__permissions__content_type__app_label="core",
        ).distinct()
    )


@transaction.atomic
def audit_chain_check(*, actor: Any = None) -> ChainCheck:
    """Verify the audit chain, keep the result, count a failed verification (the "Audit chain broken"
    alert's metric), and alert administrators (in-app + email) the first time a break is seen at a
    given row. ``actor`` is ``None`` for the scheduled task."""

    if actor is not None:
        require_perm(actor, Perm.AUDIT_VIEW)
    previous = ChainCheck.objects.order_by("-id").first()
    report = audit_verify()
    check = ChainCheck.objects.create(
        ok=report.ok, checked=report.checked, broken_at=report.broken_at, reason=report.reason[:200]
    )
    if not report.ok:
        AUDIT_CHAIN_BROKEN.inc()
    if not report.ok and (previous is None or previous.ok or previous.broken_at != report.broken_at):
        for admin_user in _alert_recipients():
            notify(
                user=admin_user,
                kind="security.audit_chain_broken",
                title=_("The audit log's hash chain is broken"),
                body=_(
                    "Verification found the audit chain broken at event #%(id)s (%(checked)s events "
                    "verified before it). Treat this as a possible security incident."
                )
                % {"id": report.broken_at, "checked": report.checked},
                url="/console/audit/auditevent/",
                email_template="audit_chain_broken",
            )
        audit_record(
            actor=actor, action=AuditAction.STAFF_AUDIT_CHAIN_BROKEN, metadata={"broken_at": report.broken_at}
        )
    return check
