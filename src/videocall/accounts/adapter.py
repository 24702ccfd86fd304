"""django-allauth configured to our rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.accounts.selectors import site_config
from videocall.accounts.services import security_notice_send
from videocall.core.crypto import decrypt_text, encrypt_text

MFA_DATA_AAD = "mfa.authenticator.data"

# allauth's security notices -> our own in-app alert + email (no IP address or raw user agent in them).
SECURITY_NOTICES: dict[str, tuple[str, Any]] = {
    "account/email/password_changed": ("password_changed", _("Your password was changed")),
    "account/email/password_set": ("password_set", _("A password was set on your account")),
    "account/email/password_reset": ("password_reset", _("Your password was reset")),
    "account/email/email_changed": ("email_changed", _("Your email address was changed")),
    "account/email/email_deleted": ("email_deleted", _("An email address was removed from your account")),
    "mfa/email/totp_activated": ("mfa_totp_activated", _("Two-factor authentication was turned on")),
    "mfa/email/totp_deactivated": ("mfa_totp_deactivated", _("Two-factor authentication was turned off")),
    "mfa/email/recovery_codes_generated": ("mfa_recovery_codes", _("New recovery codes were generated")),
}


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up and login flows. Phone numbers are not collected (the policy lists none)."""

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        return None

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """The registration mode the staff console saved (else VIDEOCALL_REGISTRATION): ``open``,
        ``closed``, or ``invite-only``, where only someone who opened a meeting invitation link in this
        browser session may create an account."""

        mode = site_config().registration_mode
        if mode == "open":
            return True
        if mode == "invite-only":
            return _holds_invitation(request)
        return False

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # The age screen passed (the form is valid): keep only that fact and when, never the date.
        user.age_check_passed_at = timezone.now()
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.set_roles([])  # every account is a member
        return user

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        # Offer "sign out everywhere else" right after the change.
        from django.urls import reverse

        return f"{reverse('accounts:sessions')}?offer=password"

    def send_notification_mail(
        self,
        template_prefix: str,
        user: Any,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        kind, title = SECURITY_NOTICES.get(template_prefix, ("security_notice", _("Security notice")))
        security_notice_send(user=user, kind=kind, title=str(title), request=self.request, to=email)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and the recovery-code seed are encrypted with our key ring before allauth stores
    them in ``Authenticator.data`` (allauth's default stores them in clear)."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text, MFA_DATA_AAD)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text, MFA_DATA_AAD)

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        from allauth.account.adapter import get_adapter

        get_adapter().send_notification_mail(*args, **kwargs)

    def get_totp_label(self, user: Any) -> str:
        return str(user.email)


InvitationCheck = Callable[[HttpRequest | None], bool]
_invitation_checks: list[InvitationCheck] = []


def register_invitation_check(check: InvitationCheck) -> InvitationCheck:
    """Let another domain say that a request holds an invitation, for invite-only sign-up:
    ``check(request) -> bool``. Meetings registers "opened a meeting invitation link in this browser
    session" from its ``AppConfig.ready`` (accounts may not import meetings: docs/architecture.md)."""
    if check not in _invitation_checks:
        _invitation_checks.append(check)
    return check


def _holds_invitation(request: HttpRequest | None) -> bool:
    return any(check(request) for check in _invitation_checks)
