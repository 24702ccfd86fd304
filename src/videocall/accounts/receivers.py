"""Audit events for every authentication event, and the "new sign-in from a new device" notice.

django-allauth and Django send signals for each event; these receivers write the audit chain (metadata:
ids and codes only, never an email, IP or token) with the country of the request's IP.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.dispatch import receiver

from videocall.accounts.models import User
from videocall.accounts.services import sessions_revoke_all, sessions_revoke_others
from videocall.audit.actions import AuditAction
from videocall.audit.models import AuditEvent
from videocall.audit.services import audit_record
from videocall.core.clients import device_label, request_country, request_device_label
from videocall.core.metrics import LOGIN_FAILURES
from videocall.core.signals import new_device_signed_in


def _audit(action: AuditAction, *, request: Any, actor: Any, subject: Any = None, **metadata: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        subject=subject,
        metadata=metadata or None,
        ip_country=request_country(request),
    )


@receiver(account_signals.user_logged_in, dispatch_uid="accounts.audit.login")
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from allauth.usersessions.models import UserSession

    seen_before = AuditEvent.objects.filter(actor_id=user.pk, action=AuditAction.AUTH_LOGIN).exists()
    current_key = getattr(getattr(request, "session", None), "session_key", None)
    label = device_label(request.META.get("HTTP_USER_AGENT", ""))
    known = any(
        device_label(s.user_agent) == label
        for s in UserSession.objects.filter(user_id=user.pk).exclude(session_key=current_key)
    )
    with transaction.atomic():
        _audit(AuditAction.AUTH_LOGIN, request=request, actor=user, subject=user, new_device=not known)
    if seen_before and not known:
        country = request_country(request)
        # notifications reacts to the signal with the in-app alert and the security email.
        new_device_signed_in.send(
            sender=on_logged_in, user=user, device_label=request_device_label(request), country=country
        )


@receiver(auth_signals.user_logged_out, dispatch_uid="accounts.audit.logout")
def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _audit(AuditAction.AUTH_LOGOUT, request=request, actor=user, subject=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="accounts.audit.login_failed")
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:

    LOGIN_FAILURES.inc()  # the "Authentication failures spike" alert: website form and app alike
    email = str(credentials.get("email") or credentials.get("username") or "")
    subject = User.objects.filter(email__iexact=email).first() if email else None
    _audit(AuditAction.AUTH_LOGIN_FAILED, request=request, actor=None, subject=subject)


@receiver(account_signals.user_signed_up, dispatch_uid="accounts.audit.signup")
def on_signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _audit(AuditAction.ACCOUNT_SIGNUP, request=request, actor=user, subject=user)


def _current_session_key(request: Any, user: Any) -> str | None:
    """The caller's own session, when the caller is ``user`` (it stays signed in)."""
    session = getattr(request, "session", None)
    caller = getattr(request, "user", None)
    if session is None or caller is None or getattr(caller, "pk", None) != user.pk:
        return None
    return session.session_key


def _new_password(action: AuditAction, request: Any, user: Any) -> None:
    """A new password (changed, or set for the first time) ends every other session and app token of
    the account, server-side; the caller's own session stays signed in."""
    with transaction.atomic():
        _audit(action, request=request, actor=user, subject=user)
        sessions_revoke_others(
            actor=user,
            current_session_key=_current_session_key(request, user),
            ip_country=request_country(request),
        )


@receiver(account_signals.password_changed, dispatch_uid="accounts.audit.password_changed")
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _new_password(AuditAction.AUTH_PASSWORD_CHANGED, request, user)


@receiver(account_signals.password_set, dispatch_uid="accounts.audit.password_set")
def on_password_set(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _new_password(AuditAction.AUTH_PASSWORD_SET, request, user)


@receiver(account_signals.password_reset, dispatch_uid="accounts.audit.password_reset")
def on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Reset by emailed link (signed out): every session and token of the account ends."""
    with transaction.atomic():
        _audit(AuditAction.AUTH_PASSWORD_RESET, request=request, actor=user, subject=user)
        sessions_revoke_all(
            actor=user, user=user, reason="password_reset", ip_country=request_country(request)
        )


@receiver(account_signals.email_confirmed, dispatch_uid="accounts.audit.email_confirmed")
def on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    _audit(
        AuditAction.ACCOUNT_EMAIL_VERIFIED,
        request=request,
        actor=email_address.user,
        subject=email_address.user,
        email_address_id=email_address.pk,
    )


@receiver(account_signals.email_changed, dispatch_uid="accounts.audit.email_changed")
def on_email_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _audit(AuditAction.ACCOUNT_EMAIL_CHANGED, request=request, actor=user, subject=user)


@receiver(account_signals.email_added, dispatch_uid="accounts.audit.email_added")
def on_email_added(sender: Any, request: Any, user: Any, email_address: Any, **kwargs: Any) -> None:
    _audit(
        AuditAction.ACCOUNT_EMAIL_ADDED,
        request=request,
        actor=user,
        subject=user,
        email_address_id=email_address.pk,
    )


@receiver(account_signals.email_removed, dispatch_uid="accounts.audit.email_removed")
def on_email_removed(sender: Any, request: Any, user: Any, email_address: Any, **kwargs: Any) -> None:
    _audit(AuditAction.ACCOUNT_EMAIL_REMOVED, request=request, actor=user, subject=user)


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts.audit.mfa_added")
def on_mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _audit(AuditAction.MFA_ADDED, request=request, actor=user, subject=user, type=authenticator.type)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts.audit.mfa_removed")
def on_mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _audit(AuditAction.MFA_REMOVED, request=request, actor=user, subject=user, type=authenticator.type)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts.audit.mfa_reset")
def on_mfa_reset(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _audit(AuditAction.MFA_RESET, request=request, actor=user, subject=user, type=authenticator.type)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts.audit.mfa_failed")
def on_mfa_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _audit(AuditAction.MFA_FAILED, request=request, actor=None, subject=user)
