"""Non-essential notice topics a user can route by email, push or in-app only.

Other apps register their own topics with :func:`register_topic` (in their ``apps.py`` ``ready`` or at
import of their services). A ``notify(kind=...)`` whose kind is not a registered topic falls under
``other``. Transactional notices (security, account, legal) ignore preferences and always email.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    key: str
    label: object
    description: object
    default_email: bool
    default_push: bool


TOPICS: dict[str, Topic] = {}


def register_topic(
    key: str, label: object, description: object = "", *, default_email: bool, default_push: bool
) -> Topic:
    topic = Topic(key, label, description, default_email, default_push)
    TOPICS[key] = topic
    return topic


register_topic(
    "news",
    _("News and tips"),
    _("Occasional emails about new features. Needs your consent to news by email."),
    default_email=False,
    default_push=False,
)
register_topic(
    "meeting_reminder",
    _("Meeting reminders"),
    _("A reminder shortly before a meeting you joined or organise starts."),
    default_email=True,
    default_push=True,
)
register_topic(
    "support_update",
    _("Support updates"),
    _("Status changes of your support requests (replies themselves always arrive by email)."),
    default_email=True,
    default_push=True,
)
register_topic(
    "other",
    _("Other notices"),
    _("Anything else that is not about your account's security or our legal duties."),
    default_email=True,
    default_push=False,
)


def topic_for(kind: str) -> Topic:
    return TOPICS.get(kind) or TOPICS.get(kind.split(".", 1)[0]) or TOPICS["other"]
