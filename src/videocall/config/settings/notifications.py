"""Notifications: unsubscribe address, job records, push providers (docs/notifications.md)."""

from __future__ import annotations

from videocall.config.env import env, env_int
from videocall.config.settings.base import VIDEOCALL_SUPPORT_CONTACT

NOTIFICATIONS_UNSUBSCRIBE_MAILTO = (
    VIDEOCALL_SUPPORT_CONTACT  # the mailto: of List-Unsubscribe; the desk acts on it
)
NOTIFICATIONS_JOB_RECORD_DAYS = 30  # job records and idempotency keys (no personal data) kept this long
NOTIFICATIONS_NEWS_BATCH = env_int("NOTIFICATIONS_NEWS_BATCH", 200)  # news emails queued per task

PUSH_FCM_PROJECT_ID = env("PUSH_FCM_PROJECT_ID")
PUSH_FCM_CREDENTIALS_FILE = env("PUSH_FCM_CREDENTIALS_FILE")
PUSH_FCM_ENDPOINT = env("PUSH_FCM_ENDPOINT", "https://fcm.googleapis.com")
PUSH_APNS_KEY_FILE = env("PUSH_APNS_KEY_FILE")
PUSH_APNS_KEY_ID = env("PUSH_APNS_KEY_ID")
PUSH_APNS_TEAM_ID = env("PUSH_APNS_TEAM_ID")
PUSH_APNS_TOPIC = env("PUSH_APNS_TOPIC")
PUSH_APNS_ENDPOINT = env("PUSH_APNS_ENDPOINT", "https://api.push.apple.com")
