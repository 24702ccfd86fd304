"""Writes about accounts. Authentication flows themselves are django-allauth's; these services cover the
profile, the picture, sessions and the notices, each in one transaction with its audit event."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from videocall.accounts.selectors import country_of, device_label
from videocall.audit.services import audit_record
from videocall.core.errors import NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from videocall.core.ports import notifier

PROFILE_FIELDS = ("first_name", "last_name", "timezone", "language")
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def request_country(request: Any) -> str:
    from allauth.account.adapter import get_adapter

    if request is None:
        return ""
    try:
        ip = get_adapter(request).get_client_ip(request)
    except Exception:
        return ""
    return country_of(ip)


def request_device_label(request: Any) -> str:
    if request is None:
        return ""
    browser, os_name = device_label(request.META.get("HTTP_USER_AGENT", ""))
    return " on ".join(p for p in (browser, os_name) if p)


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
            actor=actor, action="account.profile_updated", subject=user, metadata={"fields": changed}
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
    audit_record(actor=actor, action="account.avatar_set", subject=user)
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
        audit_record(actor=actor, action="account.avatar_removed", subject=user)
    return user


def _user_sessions(user: Any) -> Any:
    from allauth.usersessions.models import UserSession

    return UserSession.objects.filter(user_id=user.pk)


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
        action="auth.session_revoked",
        subject=("usersessions.usersession", session.pk),
        metadata={"current": current},
        ip_country=ip_country,
    )
    session.end()
    return current


@transaction.atomic
def sessions_revoke_others(*, actor: Any, current_session_key: str | None, ip_country: str = "") -> int:
    """End every session and app token of the actor except the one making the request."""
    others = [s for s in _user_sessions(actor) if s.session_key != current_session_key]
    for session in others:
        session.end()
    audit_record(
        actor=actor,
        action="auth.sessions_revoked_others",
        subject=actor,
        metadata={"count": len(others)},
        ip_country=ip_country,
    )
    return len(others)


@transaction.atomic
def sessions_revoke_all(*, actor: Any, user: Any, reason: str) -> int:
    """End every website session and app token of ``user`` (S9). Building block for account deletion
    and disabling; ``reason`` is a short code for the audit log (e.g. "account_deleted")."""
    sessions = list(_user_sessions(user))
    for session in sessions:
        session.end()
    audit_record(
        actor=actor,
        action="auth.sessions_revoked_all",
        subject=user,
        metadata={"count": len(sessions), "reason": reason[:32]},
    )
    return len(sessions)


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
