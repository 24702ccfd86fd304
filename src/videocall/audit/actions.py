"""Every action the audit log records: one typed vocabulary instead of free-text strings.

Each member keeps the string stored in ``AuditEvent.action`` (existing rows and the hash chain verify
unchanged; a value never changes once released) and carries a stable number in its app's range, as
Zulip's ``AuditLogEventType`` does: core 100-199, audit 200-299, accounts 300-399, privacy 400-499,
notifications 500-599, meetings 600-699, support 700-799, telemetry 800-899, staff 900-999 (the
layering order, lowest first). A new action takes the next free number in its app's range; a retired
one stays, listed in ``RETIRED``, with its number (never reused), so the numbers mean the same thing in
every release.

The audit app is low in the layering, so every app may import this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

APP_RANGES: dict[str, range] = {
    "core": range(100, 200),
    "audit": range(200, 300),
    "accounts": range(300, 400),
    "privacy": range(400, 500),
    "notifications": range(500, 600),
    "meetings": range(600, 700),
    "support": range(700, 800),
    "telemetry": range(800, 900),
    "staff": range(900, 1000),
}

# The first segment of a stored value -> the app that records it.
VALUE_PREFIX_APP: dict[str, str] = {
    "console": "core",
    "user": "core",
    "audit": "audit",
    "account": "accounts",
    "auth": "accounts",
    "mfa": "accounts",
    "consent": "privacy",
    "privacy": "privacy",
    "notification": "notifications",
    "meetings": "meetings",
    "support": "support",
    "telemetry": "telemetry",
    "staff": "staff",
}


class AuditAction(StrEnum):
    """``NAME = stored value, number, label``; the name is the value upper-cased with ``.`` -> ``_``."""

    _value_: str
    number: int
    label: StrOrPromise

    def __new__(cls, value: str, number: int, label: StrOrPromise) -> AuditAction:
        member = str.__new__(cls, value)
        member._value_ = value
        member.number = number
        member.label = label
        return member

    @property
    def app(self) -> str:
        """The app whose range holds this action (by the first segment of its value)."""
        return VALUE_PREFIX_APP[self.value.split(".", 1)[0]]

    # --- core 100-199 -----------------------------------------------------------------------------
    CONSOLE_ADDED = "console.added", 101, _("Console: record added")
    CONSOLE_CHANGED = "console.changed", 102, _("Console: record changed")
    CONSOLE_DELETED = "console.deleted", 103, _("Console: record deleted")
    USER_CREATED_ADMIN = "user.created_admin", 110, _("Administrator created from the command line")

    # --- audit 200-299 ----------------------------------------------------------------------------
    AUDIT_EXPORTED = "audit.exported", 201, _("Audit trail exported (CSV)")

    # --- accounts 300-399 -------------------------------------------------------------------------
    ACCOUNT_SIGNUP = "account.signup", 301, _("Signed up")
    ACCOUNT_EMAIL_VERIFIED = "account.email_verified", 302, _("Email address verified")
    ACCOUNT_EMAIL_ADDED = "account.email_added", 303, _("Email address added")
    ACCOUNT_EMAIL_CHANGED = "account.email_changed", 304, _("Primary email address changed")
    ACCOUNT_EMAIL_REMOVED = "account.email_removed", 305, _("Email address removed")
    ACCOUNT_PROFILE_UPDATED = "account.profile_updated", 306, _("Profile updated")
    ACCOUNT_AVATAR_SET = "account.avatar_set", 307, _("Profile picture set")
    ACCOUNT_AVATAR_REMOVED = "account.avatar_removed", 308, _("Profile picture removed")
    AUTH_LOGIN = "auth.login", 320, _("Signed in")
    AUTH_LOGIN_FAILED = "auth.login_failed", 321, _("Sign-in failed")
    AUTH_LOGOUT = "auth.logout", 322, _("Signed out")
    AUTH_PASSWORD_CHANGED = "auth.password_changed", 323, _("Password changed")
    AUTH_PASSWORD_SET = "auth.password_set", 324, _("Password set")
    AUTH_PASSWORD_RESET = "auth.password_reset", 325, _("Password reset")
    AUTH_SESSION_REVOKED = "auth.session_revoked", 326, _("Session ended")
    AUTH_SESSIONS_REVOKED_OTHERS = "auth.sessions_revoked_others", 327, _("Other sessions ended")
    AUTH_SESSIONS_REVOKED_ALL = "auth.sessions_revoked_all", 328, _("All sessions ended")
    MFA_ADDED = "mfa.added", 340, _("Two-step sign-in method added")
    MFA_REMOVED = "mfa.removed", 341, _("Two-step sign-in method removed")
    MFA_RESET = "mfa.reset", 342, _("Recovery codes regenerated")
    MFA_FAILED = "mfa.failed", 343, _("Two-step sign-in failed")

    # --- privacy 400-499 --------------------------------------------------------------------------
    CONSENT_GRANTED = "consent.granted", 401, _("Consent given")
    CONSENT_WITHDRAWN = "consent.withdrawn", 402, _("Consent withdrawn")
    PRIVACY_RESTRICTED = "privacy.restricted", 403, _("Processing restricted")
    PRIVACY_RESTRICTION_LIFTED = "privacy.restriction_lifted", 404, _("Restriction of processing lifted")
    PRIVACY_EXPORT_REQUESTED = "privacy.export_requested", 410, _("Data export requested")
    PRIVACY_EXPORT_READY = "privacy.export_ready", 411, _("Data export ready")
    PRIVACY_EXPORT_FAILED = "privacy.export_failed", 412, _("Data export failed")
    PRIVACY_EXPORT_DOWNLOADED = "privacy.export_downloaded", 413, _("Data export downloaded")
    PRIVACY_ACCOUNT_ERASED = "privacy.account_erased", 420, _("Account erased")
    PRIVACY_FLAGGED_UNDER_AGE = "privacy.flagged_under_age", 421, _("Account flagged as under age")
    PRIVACY_LEGAL_HOLD_SET = "privacy.legal_hold_set", 422, _("Legal hold set")
    PRIVACY_LEGAL_HOLD_RELEASED = "privacy.legal_hold_released", 423, _("Legal hold released")
    PRIVACY_REQUEST_RECEIVED = "privacy.request_received", 430, _("Privacy request received")
    PRIVACY_REQUEST_UPDATED = "privacy.request_updated", 431, _("Privacy request updated")
    PRIVACY_REQUEST_EXTENDED = "privacy.request_extended", 432, _("Privacy request deadline extended")
    PRIVACY_REQUEST_ACTION = "privacy.request_action", 433, _("Privacy request carried out")
    PRIVACY_POLICY_DRAFT_SAVED = "privacy.policy_draft_saved", 440, _("Policy draft saved")
    PRIVACY_POLICY_PUBLISHED = "privacy.policy_published", 441, _("Policy version published")
    PRIVACY_POLICY_NOTICES_DONE = "privacy.policy_notices_done", 442, _("Policy change notices sent")
    PRIVACY_POLICY_ACKNOWLEDGED = "privacy.policy_acknowledged", 443, _("Policy change acknowledged")
    PRIVACY_POLICY_CONTINUED_USE = "privacy.policy_continued_use", 444, _("Policy accepted by continued use")
    PRIVACY_PROCESSOR_ADDED = "privacy.processor_added", 450, _("Processor added")
    PRIVACY_PROCESSOR_CHANGED = "privacy.processor_changed", 451, _("Processor changed")
    PRIVACY_DISCLOSURE_ADDED = "privacy.disclosure_added", 452, _("Disclosure recorded")
    PRIVACY_DISCLOSURE_CHANGED = "privacy.disclosure_changed", 453, _("Disclosure changed")
    PRIVACY_LEGALHOLD_ADDED = "privacy.legalhold_added", 454, _("Legal hold added (console)")
    PRIVACY_LEGALHOLD_CHANGED = "privacy.legalhold_changed", 455, _("Legal hold changed (console)")
    PRIVACY_RETENTION_SWEEP = "privacy.retention_sweep", 490, _("Retention sweep (privacy)")

    # --- notifications 500-599 --------------------------------------------------------------------
    NOTIFICATION_READ = "notification.read", 501, _("Notification read")
    NOTIFICATION_READ_ALL = "notification.read_all", 502, _("All notifications read")
    NOTIFICATION_PREFERENCES_SET = "notification.preferences_set", 503, _("Notification preferences changed")
    NOTIFICATION_UNSUBSCRIBED = "notification.unsubscribed", 504, _("Unsubscribed from a topic")
    NOTIFICATION_NEWS_SENT = "notification.news_sent", 505, _("News mailing sent")

    # --- meetings 600-699 -------------------------------------------------------------------------
    MEETINGS_MEETING_CREATED = "meetings.meeting_created", 601, _("Meeting created")
    MEETINGS_MEETING_UPDATED = "meetings.meeting_updated", 602, _("Meeting updated")
    MEETINGS_MEETING_CANCELLED = "meetings.meeting_cancelled", 603, _("Meeting cancelled")
    MEETINGS_MEETING_JOINED = "meetings.meeting_joined", 604, _("Meeting joined")
    MEETINGS_COHOST_ADDED = "meetings.cohost_added", 605, _("Co-host added")
    MEETINGS_COHOST_REMOVED = "meetings.cohost_removed", 606, _("Co-host removed")
    MEETINGS_INVITATION_CREATED = "meetings.invitation_created", 610, _("Invitation sent")
    MEETINGS_INVITATION_RESENT = "meetings.invitation_resent", 611, _("Invitation sent again")
    MEETINGS_INVITATION_REVOKED = "meetings.invitation_revoked", 612, _("Invitation revoked")
    MEETINGS_INVITATION_ACCEPTED = "meetings.invitation_accepted", 613, _("Invitation accepted")
    MEETINGS_INVITATION_DECLINED = "meetings.invitation_declined", 614, _("Invitation declined")
    MEETINGS_EVENT_INGESTED = "meetings.event_ingested", 620, _("Jitsi event stored")
    MEETINGS_RETENTION_SWEEP = "meetings.retention_sweep", 690, _("Retention sweep (meetings)")

    # --- support 700-799 --------------------------------------------------------------------------
    SUPPORT_TICKET_OPEN = "support.ticket_open", 701, _("Ticket opened")
    SUPPORT_REQUESTER_REPLY = "support.requester_reply", 702, _("Requester replied")
    SUPPORT_ATTACHMENT_ADD = "support.attachment_add", 703, _("Attachment added")
    SUPPORT_CONTACT_OPEN = "support.contact_open", 710, _("Contact form message received")
    SUPPORT_CONTACT_VERIFY = "support.contact_verify", 711, _("Contact form address verified")
    SUPPORT_CONTACT_LINK_USE = "support.contact_link_use", 712, _("Contact form ticket link used")
    SUPPORT_STAFF_REPLY = "support.staff_reply", 720, _("Support replied")
    SUPPORT_INTERNAL_NOTE = "support.internal_note", 721, _("Internal note added")
    SUPPORT_TICKET_STATUS = "support.ticket_status", 722, _("Ticket status changed")
    SUPPORT_TICKET_PRIORITY = "support.ticket_priority", 723, _("Ticket priority changed")
    SUPPORT_TICKET_ASSIGN = "support.ticket_assign", 724, _("Ticket assigned")
    SUPPORT_PII_REVEAL = "support.pii_reveal", 725, _("Requester's contact details revealed")
    SUPPORT_CANNED_CREATE = "support.canned_create", 730, _("Canned reply created")
    SUPPORT_CANNED_UPDATE = "support.canned_update", 731, _("Canned reply changed")
    SUPPORT_CANNED_DELETE = "support.canned_delete", 732, _("Canned reply deleted")
    SUPPORT_RETENTION_SWEEP = "support.retention_sweep", 790, _("Retention sweep (support)")

    # --- telemetry 800-899 ------------------------------------------------------------------------
    TELEMETRY_DEVICE_REGISTERED = "telemetry.device_registered", 801, _("Device registered")
    TELEMETRY_DEVICE_UPDATED = "telemetry.device_updated", 802, _("Device updated")
    TELEMETRY_DEVICE_REMOVED = "telemetry.device_removed", 803, _("Device removed")
    TELEMETRY_CRASH_PROJECT_CREATED = "telemetry.crash_project_created", 810, _("Crash project created")
    TELEMETRY_CRASH_RECEIVED = "telemetry.crash_received", 811, _("Crash report received")

    # --- staff 900-999 ----------------------------------------------------------------------------
    STAFF_CONSOLE_DENIED = "staff.console_denied", 901, _("Console access refused")
    STAFF_USER_SIGNED_OUT = "staff.user_signed_out", 910, _("User signed out by staff")
    STAFF_USER_DEACTIVATED = "staff.user_deactivated", 911, _("User deactivated")
    STAFF_USER_ACTIVATED = "staff.user_activated", 912, _("User activated")
    STAFF_USER_MFA_RESET = "staff.user_mfa_reset", 913, _("User's two-step sign-in reset")
    STAFF_USER_ROLES_CHANGED = "staff.user_roles_changed", 914, _("User's roles changed")
    STAFF_PII_REVEALED = "staff.pii_revealed", 920, _("Masked personal data revealed")
    STAFF_SITE_SETTINGS_CHANGED = "staff.site_settings_changed", 930, _("Site settings changed")
    STAFF_INCIDENT_CREATED = "staff.incident_created", 940, _("Incident recorded")
    STAFF_INCIDENT_UPDATED = "staff.incident_updated", 941, _("Incident updated")
    STAFF_AUDIT_CHAIN_BROKEN = "staff.audit_chain_broken", 950, _("Audit chain verification failed")


# Actions nothing records any more: kept (with their numbers) so older rows still show their label.
RETIRED: frozenset[AuditAction] = frozenset()

_BY_VALUE: dict[str, AuditAction] = {member.value: member for member in AuditAction}


def action_for(value: str) -> AuditAction | None:
    """The member a stored value belongs to; ``None`` for a value no member carries."""
    return _BY_VALUE.get(value)


def action_label(value: str) -> str:
    """The label of a stored value; a value no member carries is shown as it is."""
    member = _BY_VALUE.get(value)
    return value if member is None else str(member.label)


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """``(app, [(value, "number label"), ...])`` in number order: the console's action filter."""
    groups: dict[str, list[tuple[str, str]]] = {app: [] for app in APP_RANGES}
    for member in sorted(AuditAction, key=lambda m: m.number):
        groups[member.app].append((member.value, f"{member.number} · {member.label}"))
    return [(app, members) for app, members in groups.items() if members]
