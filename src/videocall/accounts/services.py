"""Writes about accounts. Authentication flows themselves are django-allauth's; these services cover the
profile, the picture, sessions, the notices and the sign-up settings, each in one transaction with its
audit event."""

from __future__ import annotations

import io
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.accounts.errors import AccountsError
from videocall.accounts.models import SiteSettings
from videocall.accounts.selectors import device_session_keys, site_config
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.clients import request_country, request_device_label
from videocall.core.errors import NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from videocall.core.permissions import Perm, require_perm
from videocall.core.ports import notifier

PROFILE_FIELDS = ("first_name", "last_name", "timezone", "language")
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def security_notice_send(
    *, user: Any, kind: str, title: str, request: Any = None, to: str | None = None
) -> None:
    """In-app alert + email about a security-relevant change. ``to`` sends the email to another
    address (the old one after an email change). The mail names browser/OS and country, never the IP."""
    context = {
        "when": timezone.now(),
        "device": request_device_label(request),
        "country": request_country(request),
        "kind": kind,
    }
    url = f"{settings.SITE_URL}/account/security/"
    if to and to != user.email:
        notifier().notify(user=user, kind=f"security.{kind}", title=title, url="/account/security/")
        notifier().email_send(
            to=to,
            kind=f"security.{kind}",
            template="accounts_security_notice",
            context={"user": user, "title": title, "url": url, **context},
        )
    else:
        notifier().notify(
            user=user,
            kind=f"security.{kind}",
            title=title,
            url="/account/security/",
            email_template="accounts_security_notice",
            context={**context, "url": url},
        )


@transaction.atomic
def profile_update(*, actor: Any, user: Any, data: dict[str, Any]) -> Any:
    """Change the editable profile fields. Only :data:`PROFILE_FIELDS` are ever read from ``data``
    (mass assignment is impossible: roles, email, flags are not in the list)."""
    import zoneinfo

    if actor.pk != user.pk:
        raise NotFound()
    changed = []
    for field in PROFILE_FIELDS:
        if field not in data or data[field] is None:
            continue
        value = str(data[field]).strip()
        if field in ("first_name", "last_name") and not value:
            raise ValidationFailed("A name cannot be empty.", fields={field: ["This field is required."]})
        if field == "timezone" and value not in zoneinfo.available_timezones():
            raise ValidationFailed("Unknown time zone.", fields={field: ["Choose a valid time zone."]})
        if field == "language" and value not in {code for code, _name in settings.LANGUAGES}:
            raise ValidationFailed("Unknown language.", fields={field: ["Choose a supported language."]})
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=AuditAction.ACCOUNT_PROFILE_UPDATED,
            subject=user,
            metadata={"fields": changed},
        )
    return user


def _reencode_avatar(data: bytes) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnsupportedMediaType("The file is not a JPEG, PNG or WebP image.") from exc
    if kind not in ALLOWED_IMAGE_FORMATS:
        raise UnsupportedMediaType("The file is not a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > 50_000_000:
                raise UnsupportedMediaType("The image is too large.")
            image: Image.Image = ImageOps.exif_transpose(opened) or opened
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            size = settings.VIDEOCALL_AVATAR_SIZE
            image.thumbnail((size, size))
            out = io.BytesIO()
            # A fresh image: no EXIF, GPS, XMP or ICC metadata is carried over.
            image.save(out, format="WEBP", quality=85, method=4)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnsupportedMediaType("The image could not be read.") from exc
    return out.getvalue()


@transaction.atomic
def avatar_set(*, actor: Any, user: Any, upload: Any) -> Any:
    """Check the picture by content (JPEG/PNG/WebP), enforce the size limit, re-encode to WebP at most
    ``VIDEOCALL_AVATAR_SIZE`` px (dropping EXIF/GPS) and store it encrypted."""
    if actor.pk != user.pk:
        raise NotFound()
    limit = settings.VIDEOCALL_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise PayloadTooLarge("The picture is larger than the limit.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge("The picture is larger than the limit.")
    webp = _reencode_avatar(data)
    old = user.avatar.name if user.avatar else ""
    user.avatar.save("avatar.webp", ContentFile(webp), save=False)
    user.save(update_fields=["avatar"])
    if old:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(actor=actor, action=AuditAction.ACCOUNT_AVATAR_SET, subject=user)
    return user


@transaction.atomic
def avatar_remove(*, actor: Any, user: Any) -> Any:
    if actor.pk != user.pk:
        raise NotFound()
    if user.avatar:
        old = user.avatar.name
        storage = user.avatar.storage
        user.avatar = ""
        user.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(old))
        audit_record(actor=actor, action=AuditAction.ACCOUNT_AVATAR_REMOVED, subject=user)
    return user


def _user_sessions(user: Any) -> Any:
    from allauth.usersessions.models import UserSession

    return UserSession.objects.filter(user_id=user.pk)


def _end_sessions(user: Any, *, keys: set[str] | None = None, keep: str | None = None) -> int:
    """End sessions of ``user`` server-side; the one place that does it (every revocation below).

    The user's sessions are found without reading anyone else's: allauth's session list
    (``usersessions_usersession``, a row per sign-in, website or app) plus the session keys of the
    user's registered devices. For each, the session-store entry is deleted, which ends the website
    cookie, the app's session token, and its JWT access and refresh tokens (validated against the
    session); then the session-list rows go. ``keys`` limits it to those sessions, ``keep`` spares
    one (the caller's own). Returns how many live sessions were ended.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    tracked = _user_sessions(user)
    targets = set(tracked.values_list("session_key", flat=True)) | device_session_keys(user)
    if keys is not None:
        targets &= keys
    targets.discard(keep or "")
    ended = 0
    for key in targets:
        session = store(session_key=key)
        if session.exists(key):
            ended += 1
            session.delete()
    tracked.filter(session_key__in=targets).delete()
    return ended


@transaction.atomic
def session_revoke(
    *, actor: Any, session_id: int, current_session_key: str | None, ip_country: str = ""
) -> bool:
    """End one of the actor's sessions (website session or app token) server-side: the session store
    entry is deleted, so its cookie, session token, access and refresh tokens stop working. Returns True
    when it was the caller's own session (the website view then signs out). Another user's id: 404."""
    session = _user_sessions(actor).filter(pk=session_id).first() if 0 < session_id < 2**63 else None
    if session is None:
        raise NotFound()
    current = bool(current_session_key) and session.session_key == current_session_key
    audit_record(
        actor=actor,
        action=AuditAction.AUTH_SESSION_REVOKED,
        subject=("usersessions.usersession", session.pk),
        metadata={"current": current},
        ip_country=ip_country,
    )
    _end_sessions(actor, keys={session.session_key})
    return current


@transaction.atomic
def session_end_by_key(*, user: Any, session_key: str) -> bool:
    """End the one session of ``user`` with this key (e.g. the one a removed device was signed in
    with). The caller writes its own audit event. Returns whether a live session was ended."""
    if not session_key:
        return False
    return _end_sessions(user, keys={session_key}) > 0


@transaction.atomic
def sessions_revoke_others(*, actor: Any, current_session_key: str | None, ip_country: str = "") -> int:
    """End every session and app token of the actor except the one making the request (the user's own
    "sign out everywhere else", and after a password change)."""
    count = _end_sessions(actor, keep=current_session_key)
    audit_record(
        actor=actor,
        action=AuditAction.AUTH_SESSIONS_REVOKED_OTHERS,
        subject=actor,
        metadata={"count": count},
        ip_country=ip_country,
    )
    return count


@transaction.atomic
def sessions_revoke_all(*, actor: Any, user: Any, reason: str, ip_country: str = "") -> int:
    """End every website session and app token of ``user`` (S9): the one revocation for account
    deactivation, forced sign-out, MFA reset, erasure and password reset. ``reason`` is a short code for
    the audit log (e.g. "account_erased"); ``actor`` is the staff member, the user, or None (system)."""
    count = _end_sessions(user)
    audit_record(
        actor=actor,
        action=AuditAction.AUTH_SESSIONS_REVOKED_ALL,
        subject=user,
        metadata={"count": count, "reason": reason[:32]},
        ip_country=ip_country,
    )
    return count


@transaction.atomic
def ended_sessions_purge() -> int:
    """Delete session-list rows (with their encrypted IP and user agent) whose session has ended or
    expired, so an IP address never outlives its session (at most ``SESSION_COOKIE_AGE``, below the IP
    retention). Idempotent; run it after Django's ``clearsessions``."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    count = 0
    for session in UserSession.objects.iterator():
        if session.purge():
            count += 1
    if "db" in settings.SESSION_ENGINE:
        Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return count


# --- sign-up settings (edited from the staff console) ----------------------------------------------

MINIMUM_AGE_RANGE = (13, 16)


@transaction.atomic
def site_settings_update(*, actor: Any, registration_mode: str, minimum_age: int) -> SiteSettings:
    """Save the registration mode and minimum age (the one ``SiteSettings`` row, pk=1)."""

    require_perm(actor, Perm.SITE_SETTINGS_MANAGE)
    if registration_mode not in SiteSettings.Registration.values:
        raise ValidationFailed(_("Unknown registration mode."), code=AccountsError.REGISTRATION_MODE)
    low, high = MINIMUM_AGE_RANGE
    if not low <= int(minimum_age) <= high:
        raise ValidationFailed(
            _("The minimum age must be between 13 and 16."), code=AccountsError.MINIMUM_AGE
        )
    before = site_config()  # the console's row, else the environment's values
    row, _created = SiteSettings.objects.select_for_update().get_or_create(
        pk=1, defaults={"registration_mode": registration_mode, "minimum_age": minimum_age}
    )
    changed = []
    if before.registration_mode != registration_mode:
        changed.append("registration_mode")
    if before.minimum_age != int(minimum_age):
        changed.append("minimum_age")
    row.registration_mode = registration_mode
    row.minimum_age = int(minimum_age)
    row.updated_by = actor
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_SITE_SETTINGS_CHANGED,
        subject=row,
        metadata={"fields": changed, "registration_mode": registration_mode, "minimum_age": int(minimum_age)},
    )
    return row
