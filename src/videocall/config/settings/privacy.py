"""The privacy center: retention per data category, the supervisory authority, consent cookie
(docs/privacy.md). Each retention period is swept by the daily ``privacy-retention-sweep`` job."""

from __future__ import annotations

from videocall.config.env import env, env_int
from videocall.config.settings.security import SECURE_COOKIES

# Retention, in days, per data category (0 = keep until the account is deleted, as the policy says).
RETENTION_DAYS = {
    "account": 0,
    "access_log": env_int("RETENTION_ACCESS_LOG_DAYS", 90),
    "ip_address": env_int("RETENTION_IP_ADDRESS_DAYS", 30),
    "crash_reports": env_int("RETENTION_CRASH_REPORTS_DAYS", 90),
    "closed_tickets": env_int("RETENTION_CLOSED_TICKETS_DAYS", 730),
    "exports": env_int("RETENTION_EXPORTS_DAYS", 7),
    "unverified_signups": env_int("RETENTION_UNVERIFIED_SIGNUPS_DAYS", 7),
    "notifications": env_int("RETENTION_NOTIFICATIONS_DAYS", 365),
    "meeting_events": env_int("RETENTION_MEETING_EVENTS_DAYS", 90),
    "meeting_history": 0,
    "audit_log": env_int("RETENTION_AUDIT_LOG_DAYS", 2190),
    "privacy_requests": env_int("RETENTION_PRIVACY_REQUESTS_DAYS", 1095),
    # Consent choices of visitors who never signed in, and the first-party page-view counts (13 months:
    # the longest a consent choice is kept before it is asked again).
    "consent_visitors": env_int("RETENTION_CONSENT_VISITORS_DAYS", 395),
    "analytics": env_int("RETENTION_ANALYTICS_DAYS", 395),
}

VIDEOCALL_PRIVACY_AUTHORITY_URL = env(
    "VIDEOCALL_PRIVACY_AUTHORITY_URL", "https://edpb.europa.eu/about-edpb/about-edpb/members_en"
)
VIDEOCALL_PRIVACY_NOTICE_BATCH = env_int("VIDEOCALL_PRIVACY_NOTICE_BATCH", 200)
VIDEOCALL_CONSENT_COOKIE = "__Host-vc_consent" if SECURE_COOKIES else "vc_consent"
