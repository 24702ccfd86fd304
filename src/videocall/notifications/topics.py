"""The catalogue of every notice the platform sends, and which of them a user can switch off.

Every ``kind`` given to :func:`~videocall.notifications.services.notify` or
:func:`~videocall.notifications.services.email_send` is declared here, once, either

* under a **topic**: a row of the preferences page whose email and push switches govern that kind
  (in-app alerts are always on), or
* under an **always-sent** group: transactional notices that cannot be switched off (security, the
  answers to the user's own requests, legal notices). The page lists them under "Always sent".

Sending an undeclared kind raises :class:`UnknownKind`. A topic whose sender does not exist yet is
declared with ``available=False``: it is not on the page, the API refuses it, and sending one of its
kinds raises :class:`TopicUnavailable` until the sender lands and flips the flag.

Kinds are matched exactly; a declared kind ending in ``.`` matches every kind with that prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from videocall.privacy.consents import ConsentPurpose


class UnknownKind(LookupError):
    """A notice kind that the catalogue does not declare (a programming error)."""


class TopicUnavailable(LookupError):
    """A notice of a topic declared ``available=False`` (its sender was not meant to exist yet)."""


@dataclass(frozen=True)
class Topic:
    key: str
    label: object
    description: object
    default_email: bool
    default_push: bool
    kinds: frozenset[str]
    # A consent the email channel needs on top of the preference (news needs "news by email").
    consent: ConsentPurpose | None = None
    # False until something sends the topic's kinds: not listed, not accepted, not sendable.
    available: bool = True
    # False for an email-only topic (news): no push switch on the page, never pushed.
    push: bool = True


@dataclass(frozen=True)
class AlwaysSent:
    key: str
    label: object
    kinds: frozenset[str]


TOPICS: dict[str, Topic] = {}
ALWAYS_SENT: dict[str, AlwaysSent] = {}


def _check_new(kinds: frozenset[str]) -> None:
    taken = {k for entry in _entries() for k in entry.kinds}
    clash = sorted(kinds & taken)
    if clash:
        raise ValueError(f"notice kinds declared twice: {', '.join(clash)}")


def register_topic(
    key: str,
    label: object,
    description: object = "",
    *,
    default_email: bool,
    default_push: bool,
    kinds: frozenset[str] | set[str] = frozenset(),
    consent: ConsentPurpose | None = None,
    available: bool = True,
    push: bool = True,
) -> Topic:
    """Declare a topic. Its own key is always one of its kinds. ``push=False``: email only."""
    all_kinds = frozenset(kinds) | {key}
    _check_new(all_kinds - (TOPICS[key].kinds if key in TOPICS else frozenset()))
    topic = Topic(
        key, label, description, default_email, default_push and push, all_kinds, consent, available, push
    )
    TOPICS[key] = topic
    return topic


def register_always_sent(key: str, label: object, *, kinds: frozenset[str] | set[str]) -> AlwaysSent:
    """Declare a group of transactional notices that no preference can stop."""
    _check_new(frozenset(kinds) - (ALWAYS_SENT[key].kinds if key in ALWAYS_SENT else frozenset()))
    group = AlwaysSent(key, label, frozenset(kinds))
    ALWAYS_SENT[key] = group
    return group


def available_topics() -> list[Topic]:
    """The topics on the preferences page and in the API, in declaration order."""
    return [topic for topic in TOPICS.values() if topic.available]


def _entries() -> list[Topic | AlwaysSent]:
    return [*TOPICS.values(), *ALWAYS_SENT.values()]


def _declared(kind: str) -> Topic | AlwaysSent:
    entries = _entries()
    for entry in entries:
        if kind in entry.kinds:
            return entry
    for entry in entries:
        if any(k.endswith(".") and kind.startswith(k) for k in entry.kinds):
            return entry
    raise UnknownKind(
        f"notice kind {kind!r} is not declared: add it to a topic or an always-sent group in "
        "videocall/notifications/topics.py"
    )


def topic_for(kind: str) -> Topic | None:
    """The topic whose preferences govern ``kind``; ``None`` when ``kind`` is always sent.

    Raises :class:`UnknownKind` for an undeclared kind and :class:`TopicUnavailable` for a kind of a
    topic that is not available yet.
    """
    entry = _declared(kind)
    if isinstance(entry, AlwaysSent):
        return None
    if not entry.available:
        raise TopicUnavailable(
            f"notice kind {kind!r} belongs to topic {entry.key!r}, which is not available: set "
            "available=True where the topic is declared once its sender exists"
        )
    return entry


# --- Topics a user can switch per channel ---------------------------------------------------------

register_topic(
    "meeting_invitation",
    _("Meeting invitations"),
    _(
        "Someone invites you to a meeting, or changes or cancels a meeting you are invited to. "
        "By email they come with a calendar file."
    ),
    default_email=True,
    default_push=True,
    kinds={"meetings.meeting_invitation", "meetings.meeting_updated", "meetings.meeting_cancelled"},
)
register_topic(
    "support_update",
    _("Support replies"),
    _("Our support team answered one of your requests (the answer itself is on the request's page)."),
    default_email=True,
    default_push=True,
    kinds={"support_reply", "support_contact_reply"},
)
# Nothing sends these yet: hidden until their sender exists (the meetings app's reminders). Flip
# ``available`` in the same change that adds the sender.
register_topic(
    "meeting_reminder",
    _("Meeting reminders"),
    _("A reminder shortly before a meeting you joined or organise starts."),
    default_email=True,
    default_push=True,
    available=False,
)
# The news mailings staff write in the console (videocall.notifications.news). Email only. The gate is
# the consent "News by email", off until the person gives it (R13); once given, news arrive unless this
# switch is turned off (so the consent alone does what it says). The one-click unsubscribe turns both off.
register_topic(
    "news",
    _("News and tips"),
    _("Occasional emails about new features. Needs your consent to news by email."),
    default_email=True,
    default_push=False,
    kinds={"news.mailing"},
    consent=ConsentPurpose.MARKETING_EMAIL,
    push=False,
)

# --- Always sent (transactional: no preference stops them) ----------------------------------------

register_always_sent(
    "security",
    _(
        "Security notices: a sign-in from a new device; changes to your password, email address or "
        "two-step sign-in; security alerts to administrators"
    ),
    kinds={"security."},
)
register_always_sent(
    "links",
    _("Links you ask for: email address verification, password reset, confirming a contact-form message"),
    kinds={"support_contact_verify"},
)
register_always_sent(
    "privacy_requests",
    _(
        "Answers to your privacy requests: your data export is ready, your account was deleted, "
        "your request was received"
    ),
    kinds={"privacy.export_ready", "privacy.account_erased", "privacy.request_received"},
)
register_always_sent(
    "policy",
    _("Changes to our privacy policy, which the law requires us to tell you about"),
    kinds={"privacy.policy_changed"},
)
