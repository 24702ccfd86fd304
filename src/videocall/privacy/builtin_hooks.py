"""Export and erasure of the account itself and of the framework tables around it (allauth, sessions).

The ``accounts`` eraser runs last (order 1000): every other eraser still sees the user as it was.
The ``datamap`` eraser (order 900) handles every owned model that no app's eraser covers, so a model
declared in the data map is erased even before its app writes a hook.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from videocall.accounts.services import sessions_revoke_all
from videocall.core.datamap import (
    Category,
    Erasure,
    ExportSection,
    data_map,
    erase_is_covered,
    is_held,
    register_eraser,
    register_exporter,
)
from videocall.privacy.exports import export_file_delete
from videocall.privacy.models import ConsentRecord, DataExport, PolicyNotice

ACCOUNT_MODELS = (
    "accounts.user",
    "account.emailaddress",
    "account.emailconfirmation",
    "mfa.authenticator",
    "usersessions.usersession",
)


def _profile(user: Any) -> Iterator[dict[str, Any]]:
    yield {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "avatar": f"files/profile/{_avatar_file(user)}" if user.avatar else "",
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "age_check_passed_at": user.age_check_passed_at,
        "timezone": user.timezone,
        "language": user.language,
        "is_restricted": user.is_restricted,
        "roles": sorted(role.value for role in user.roles),
    }


def _avatar_file(user: Any) -> str:
    name = user.avatar.name or ""
    return "picture" + (name[name.rfind(".") :] if "." in name.rsplit("/", 1)[-1] else "")


def _picture(user: Any) -> Iterator[tuple[str, bytes]]:
    if user.avatar and user.avatar.name:
        with user.avatar.open("rb") as handle:
            yield f"profile/{_avatar_file(user)}", handle.read()


def _emails(user: Any) -> Iterator[dict[str, Any]]:
    yield from EmailAddress.objects.filter(user=user).order_by("pk").values("email", "verified", "primary")


def _sessions(user: Any) -> Iterator[dict[str, Any]]:
    rows = UserSession.objects.filter(user=user).order_by("pk")
    yield from rows.values("ip", "user_agent", "created_at", "last_seen_at").iterator(chunk_size=500)


def _factors(user: Any) -> Iterator[dict[str, Any]]:
    yield from (
        Authenticator.objects.filter(user=user).order_by("pk").values("type", "created_at", "last_used_at")
    )


def _consents(user: Any) -> Iterator[dict[str, Any]]:
    rows = ConsentRecord.objects.filter(user=user).order_by("pk")
    for row in rows.values("purpose", "granted", "policy_version", "channel", "created_at").iterator(
        chunk_size=1000
    ):
        yield dict(row)


@register_exporter("accounts", covers=(*ACCOUNT_MODELS, "privacy.consentrecord"))
def export_account(user: Any) -> Iterator[ExportSection]:
    yield ExportSection(
        "profile",
        Category.IDENTITY,
        "Your profile: name, email address, picture, preferences",
        rows=_profile(user),
        files=_picture(user),
    )
    yield ExportSection("email_addresses", Category.CONTACT, "Your email addresses", rows=_emails(user))
    yield ExportSection(
        "sessions",
        Category.ACTIVITY,
        "Signed-in sessions: IP address, browser, when started and last seen",
        rows=_sessions(user),
    )
    yield ExportSection(
        "sign_in_factors", Category.CREDENTIALS, "Two-factor methods (no secrets)", rows=_factors(user)
    )
    yield ExportSection("consents", Category.CONSENTS, "Every consent choice you made", rows=_consents(user))


def _policy_notices(user: Any) -> Iterator[dict[str, Any]]:
    rows = PolicyNotice.objects.filter(user=user).order_by("pk")
    for number, notified, acknowledged, continued in rows.values_list(
        "version__number", "notified_at", "acknowledged_at", "continued_use_at"
    ):
        yield {
            "policy_version": number,
            "notified_at": notified,
            "acknowledged_at": acknowledged,
            "continued_use_at": continued,
        }


@register_exporter("privacy", covers=("privacy.policynotice",))
def export_policy_acceptances(user: Any) -> Iterator[ExportSection]:
    yield ExportSection(
        "policy_notices",
        Category.COMMUNICATIONS,
        "Privacy policy versions we told you about, and when you acknowledged them or kept using the service",
        rows=_policy_notices(user),
    )


_KEEP = object()


def _blank(field: Any) -> Any:
    """The erased value of a field, or ``_KEEP`` when it cannot be cleared (a required number or time)."""
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.BooleanField):
        return False
    return _KEEP


@register_eraser("datamap", order=900, covers=())
def erase_uncovered(*, user: Any, holds: list[str]) -> dict[str, int]:
    """Erase owned rows of every model no app eraser covers, per the data map; held categories stay."""
    counts: dict[str, int] = {}
    for label, decl in sorted(data_map.models.items()):
        if label in ACCOUNT_MODELS or erase_is_covered(label) or not decl.owner_path:
            continue
        queryset = decl.model._default_manager.filter(**{decl.owner_path: user.pk})
        held = {name for name, f in decl.personal.items() if is_held(holds, f.category)}
        anonymise = {name for name, f in decl.personal.items() if f.erasure == Erasure.ANONYMISE}
        if not held and not anonymise:
            counts[label] = queryset.delete()[0]
            continue
        clear = {
            name: _blank(decl.model._meta.get_field(name))
            for name in decl.personal
            if name not in held and not decl.model._meta.get_field(name).is_relation
        }
        clear = {name: value for name, value in clear.items() if value is not _KEEP}
        changed = 0
        for obj in queryset.iterator(chunk_size=500):
            for name, value in clear.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(clear))
            changed += 1
        counts[label] = changed
    return counts


@register_eraser(
    "privacy", order=800, covers=("privacy.consentrecord", "privacy.policynotice", "privacy.dataexport")
)
def erase_privacy(*, user: Any, holds: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    if not is_held(holds, Category.CONSENTS):
        counts["consents"] = ConsentRecord.objects.filter(user=user).delete()[0]
        counts["policy_notices"] = PolicyNotice.objects.filter(user=user).delete()[0]
    removed = 0
    for export in DataExport.objects.filter(user=user):
        export_file_delete(export)
        removed += 1
    DataExport.objects.filter(user=user).delete()
    counts["exports"] = removed
    return counts


@register_eraser("accounts", order=1000, covers=ACCOUNT_MODELS)
def erase_account(*, user: Any, holds: list[str]) -> dict[str, int]:
    """Anonymise the user row in place (the tombstone others' records point to) and drop allauth rows."""
    counts = {"sessions": sessions_revoke_all(actor=None, user=user, reason="account_erased")}
    keep_contact = is_held(holds, Category.CONTACT)
    keep_identity = is_held(holds, Category.IDENTITY)
    if not keep_contact:
        counts["email_confirmations"] = EmailConfirmation.objects.filter(email_address__user=user).delete()[0]
        counts["email_addresses"] = EmailAddress.objects.filter(user=user).delete()[0]
    counts["authenticators"] = Authenticator.objects.filter(user=user).delete()[0]
    user_type = ContentType.objects.get_for_model(type(user))
    counts["console_log"] = LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr="Deleted user", change_message=""
    )
    if user.avatar and user.avatar.name:
        user.avatar.delete(save=False)
    user.avatar = ""
    if not keep_identity:
        user.first_name = ""
        user.last_name = ""
    if not keep_contact:
        user.email = f"deleted-{user.pk}-{secrets.token_hex(8)}@deleted.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_deleted = True
    user.deleted_at = timezone.now()
    user.last_login = None
    user.age_check_passed_at = None
    user.date_joined = user.deleted_at
    user.timezone = "UTC"
    user.language = "en"
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return counts
