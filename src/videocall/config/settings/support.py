"""The support desk (docs/support.md). Closed-ticket retention runs in the privacy center's daily sweep
(support/privacy.py), with ``RETENTION_DAYS["closed_tickets"]``."""

from __future__ import annotations

from videocall.config.env import env_int

# One-time links emailed to contact-form visitors (verification, then one per agent reply).
VIDEOCALL_SUPPORT_LINK_TTL_SECONDS = env_int("VIDEOCALL_SUPPORT_LINK_TTL_SECONDS", 24 * 3600)
# How long a visitor who followed such a link may read and answer their thread (signed cookie).
VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS = env_int("VIDEOCALL_SUPPORT_CONTACT_SESSION_SECONDS", 1800)
VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR = env_int("VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR", 5)
VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR = env_int("VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR", 3)
# How long an agent keeps seeing a requester's unmasked name and email after revealing them.
VIDEOCALL_SUPPORT_REVEAL_SECONDS = env_int("VIDEOCALL_SUPPORT_REVEAL_SECONDS", 900)
# Resolved tickets without activity are closed after this many days (then RETENTION_DAYS applies).
VIDEOCALL_SUPPORT_AUTOCLOSE_DAYS = env_int("VIDEOCALL_SUPPORT_AUTOCLOSE_DAYS", 14)
VIDEOCALL_SUPPORT_MAX_ATTACHMENTS = env_int("VIDEOCALL_SUPPORT_MAX_ATTACHMENTS", 3)
