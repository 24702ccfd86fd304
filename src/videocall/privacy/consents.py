"""Consent purposes, configured in one place (docs/requirements.md R3, R13, R17)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from videocall.core.datamap import LegalBasis


class ConsentPurpose(StrEnum):
    ANALYTICS = "analytics"
    MARKETING_EMAIL = "marketing_email"
    CRASH_REPORT_DETAIL = "crash_report_detail"
    PUSH_NOTIFICATIONS = "push_notifications"


@dataclass(frozen=True)
class PurposeInfo:
    label: object
    description: object
    basis: LegalBasis


# Strictly necessary processing needs no consent (ePrivacy 5(3) exemption); shown on the banner and page.
STRICTLY_NECESSARY = PurposeInfo(
    _("Strictly necessary"),
    _(
        "The session cookie that keeps you signed in, the CSRF cookie that protects forms, and the cookie "
        "that remembers your choice on this banner. Always on; no consent is needed."
    ),
    LegalBasis.CONTRACT,
)

CONSENT_PURPOSES: dict[ConsentPurpose, PurposeInfo] = {
    ConsentPurpose.ANALYTICS: PurposeInfo(
        _("Usage analytics"),
        _("Count how the service is used (pages, meetings held) to improve it. Off unless you turn it on."),
        LegalBasis.CONSENT,
    ),
    ConsentPurpose.MARKETING_EMAIL: PurposeInfo(
        _("News by email"),
        _("Occasional emails about new features. Every one has a one-click unsubscribe link."),
        LegalBasis.CONSENT,
    ),
    ConsentPurpose.CRASH_REPORT_DETAIL: PurposeInfo(
        _("Detailed crash reports"),
        _(
            "Attach your account id, IP address and recent actions to crash reports so we can fix them faster."
        ),
        LegalBasis.CONSENT,
    ),
    ConsentPurpose.PUSH_NOTIFICATIONS: PurposeInfo(
        _("Push notifications"),
        _(
            "Show your notices (such as security alerts, meeting invitations and replies from support) on "
            "your phone, sent through Apple's or Google's push service. You choose which optional ones in your "
            "notification preferences."
        ),
        LegalBasis.CONSENT,
    ),
}

# Purposes the website's cookie banner asks about (the others are asked where they apply: settings, app).
BANNER_PURPOSES: tuple[ConsentPurpose, ...] = (ConsentPurpose.ANALYTICS,)
# A restricted account (Art. 18) or an objection excludes these, whatever was chosen before.
RESTRICTED_PURPOSES: frozenset[ConsentPurpose] = frozenset(
    {ConsentPurpose.ANALYTICS, ConsentPurpose.MARKETING_EMAIL}
)
