"""The data map: every model field that can hold personal data, declared once.

Each app declares its models in its own ``privacy.py`` (imported at start-up). Export, erasure,
retention sweeps, the public privacy page and the records of processing are generated from here, and
a test fails naming any field of any installed model that has no declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _


class Category(StrEnum):
    """Data categories, in the words of the policy's section 2."""

    IDENTITY = "identity"  # full name
    CONTACT = "contact"  # email address
    CREDENTIALS = "credentials"  # password hash, MFA secrets
    PROFILE_PICTURE = "profile_picture"
    SUPPORT_MESSAGES = "support_messages"
    MEETING_CONTENT = "meeting_content"  # content submitted during video conferences
    MEETING_METADATA = "meeting_metadata"  # meetings, duration and participants
    DEVICE = "device"  # device identifiers (model, OS)
    BROWSER = "browser"  # browser type and version
    NETWORK = "network"  # IP address and general location
    ACTIVITY = "activity"  # session timestamps, access logs
    CRASH_REPORTS = "crash_reports"
    COOKIES_TOKENS = "cookies_tokens"
    CONSENTS = "consents"
    ACCOUNT = "account"  # account settings, preferences, age check
    COMMUNICATIONS = "communications"  # notifications sent to the user
    PRIVACY_REQUESTS = "privacy_requests"


CATEGORY_LABELS: dict[Category, Any] = {
    Category.IDENTITY: _("Full name (first and last name)"),
    Category.CONTACT: _("Email address"),
    Category.CREDENTIALS: _("Password (securely hashed) and sign-in factors"),
    Category.PROFILE_PICTURE: _("Profile picture (optional)"),
    Category.SUPPORT_MESSAGES: _("Support messages and inquiries you send"),
    Category.MEETING_CONTENT: _("Content you submit during video conferences"),
    Category.MEETING_METADATA: _("Meeting duration and participants"),
    Category.DEVICE: _("Device identifiers (model, OS)"),
    Category.BROWSER: _("Browser type and version"),
    Category.NETWORK: _("IP address and general location"),
    Category.ACTIVITY: _("Session timestamps and access logs"),
    Category.CRASH_REPORTS: _("Crash reports"),
    Category.COOKIES_TOKENS: _("Cookies, tokens and similar technologies"),
    Category.CONSENTS: _("Your consent choices"),
    Category.ACCOUNT: _("Account settings"),
    Category.COMMUNICATIONS: _("Notices we send you"),
    Category.PRIVACY_REQUESTS: _("Privacy requests you make"),
}


class Purpose(StrEnum):
    """Uses, in the words of the policy's section 3."""

    ACCOUNT = "account"  # Register and manage user accounts
    AUTHENTICATION = "authentication"  # Authenticate and authorize user access
    MEETINGS = "meetings"  # Facilitate video meetings
    IMPROVEMENT = "improvement"  # Improve platform functionality, security, and user experience
    SUPPORT = "support"  # Respond to customer support requests
    COMMUNICATIONS = "communications"  # Send administrative or transactional communications
    ANALYTICS = "analytics"  # Analyze usage trends and troubleshoot issues
    SECURITY = "security"  # fraud prevention, abuse, audit
    LEGAL = "legal"  # comply with legal obligations


PURPOSE_LABELS: dict[Purpose, Any] = {
    Purpose.ACCOUNT: _("Register and manage user accounts"),
    Purpose.AUTHENTICATION: _("Authenticate and authorize user access"),
    Purpose.MEETINGS: _("Facilitate video meetings"),
    Purpose.IMPROVEMENT: _("Improve platform functionality, security, and user experience"),
    Purpose.SUPPORT: _("Respond to customer support requests"),
    Purpose.COMMUNICATIONS: _("Send administrative or transactional communications"),
    Purpose.ANALYTICS: _("Analyze usage trends and troubleshoot issues"),
    Purpose.SECURITY: _("Security and fraud prevention"),
    Purpose.LEGAL: _("Comply with legal obligations"),
}


class LegalBasis(StrEnum):
    """GDPR Art. 6 bases, in the words of the policy's section 4."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    LEGITIMATE_INTERESTS = "legitimate_interests"


LEGAL_BASIS_LABELS: dict[LegalBasis, Any] = {
    LegalBasis.CONSENT: _("Your consent"),
    LegalBasis.CONTRACT: _("Performance of a contract"),
    LegalBasis.LEGAL_OBLIGATION: _("Legal obligations"),
    LegalBasis.LEGITIMATE_INTERESTS: _("Legitimate interests"),
}


class Erasure(StrEnum):
    DELETE = "delete"  # the row or value is deleted
    ANONYMISE = "anonymise"  # the value is replaced (e.g. "Deleted user"), the row stays for others
    LEGAL_HOLD = "legal_hold"  # kept only while a legal hold names it, then deleted
    CASCADE = "cascade"  # deleted with the row that owns it


@dataclass(frozen=True)
class FieldDecl:
    category: Category
    purposes: tuple[Purpose, ...]
    basis: LegalBasis
    retention: str  # key of settings.RETENTION_DAYS
    exported: bool = True
    erasure: Erasure = Erasure.DELETE
    recipients: tuple[str, ...] = ()  # processor keys or descriptions of who else receives it
    note: str = ""


@dataclass
class ModelDecl:
    model: type[Model]
    personal: dict[str, FieldDecl]
    not_personal: dict[str, str]  # field name -> why it holds no personal data
    owner_path: str | None = (
        None  # ORM path from this model to its owning user, e.g. "user" or "meeting__owner"
    )


@dataclass
class DataMap:
    models: dict[str, ModelDecl] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)  # model label -> reason

    def declare(
        self,
        model: type[Model],
        *,
        personal: dict[str, FieldDecl],
        not_personal: Iterable[str] | dict[str, str] = (),
        owner_path: str | None = None,
    ) -> None:
        label = model._meta.label_lower
        if label in self.models:
            raise ValueError(f"{label} is declared twice in the data map")
        reasons = not_personal if isinstance(not_personal, dict) else dict.fromkeys(not_personal, "")
        overlap = set(personal) & set(reasons)
        if overlap:
            raise ValueError(f"{label}: {sorted(overlap)} declared both personal and not personal")
        self.models[label] = ModelDecl(model, dict(personal), reasons, owner_path)

    def exclude(self, label: str, reason: str) -> None:
        """Leave a framework table out of the data map, with the reason it is safe (or handled elsewhere)."""
        self.excluded[label.lower()] = reason

    def undeclared_fields(self) -> list[str]:
        from django.apps import apps

        missing: list[str] = []
        for model in apps.get_models(include_auto_created=True):
            label = model._meta.label_lower
            if label in self.excluded:
                continue
            decl = self.models.get(label)
            for f in model._meta.get_fields(include_hidden=True):
                if f.auto_created and not f.concrete:
                    continue  # reverse relations are declared on the model that holds the column
                if not (f.concrete or f.many_to_many):
                    continue
                name = f.name
                if decl is None or (name not in decl.personal and name not in decl.not_personal):
                    missing.append(f"{label}.{name}")
        return missing

    def personal_fields(self) -> Iterator[tuple[ModelDecl, str, FieldDecl]]:
        for decl in self.models.values():
            for name, fdecl in decl.personal.items():
                yield decl, name, fdecl

    def by_category(self) -> dict[Category, list[tuple[str, FieldDecl]]]:
        grouped: dict[Category, list[tuple[str, FieldDecl]]] = {}
        for decl, name, fdecl in self.personal_fields():
            grouped.setdefault(fdecl.category, []).append((f"{decl.model._meta.label_lower}.{name}", fdecl))
        return grouped


data_map = DataMap()


# --- Export and erasure hooks ---------------------------------------------------------------------


@dataclass
class ExportSection:
    """One file (or set of files) in a user's export archive.

    ``rows`` is an iterator so large accounts stream instead of loading everything in memory.
    ``files`` yields ``(archive path, bytes)`` pairs (e.g. the decrypted profile picture).
    """

    name: str
    category: Category
    description: str
    rows: Iterable[dict[str, Any]] = ()
    files: Iterable[tuple[str, bytes]] = ()
    tabular: bool = True


Exporter = Callable[[Any], Iterable[ExportSection]]
Eraser = Callable[..., dict[str, int]]

Sweep = Callable[..., int]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}
_sweeps: dict[str, Sweep] = {}
# What an exporter / eraser handles itself (model labels, or whole apps as "<app>.*"); the data-map
# walker handles every other owned model, so a model is covered as soon as it is declared.
_export_covered: dict[str, str] = {}
_erase_covered: dict[str, str] = {}


def _cover(table: dict[str, str], name: str, fn: Callable[..., Any], covers: Iterable[str] | None) -> None:
    if covers is None:
        # By default a hook covers every model of the app whose privacy.py registers it.
        parts = fn.__module__.split(".")
        if len(parts) >= 2 and parts[0] == "videocall":
            table[f"{parts[1]}.*"] = name
        return
    for label in covers:
        table[label.lower()] = name


def _is_covered(table: dict[str, str], label: str) -> bool:
    return label in table or f"{label.split('.', 1)[0]}.*" in table


def register_exporter(name: str, *, covers: Iterable[str] | None = None) -> Callable[[Exporter], Exporter]:
    """``@register_exporter("meetings")`` on ``def export(user) -> Iterable[ExportSection]``.

    ``covers`` names the model labels (``"meetings.meeting"``) the exporter writes itself (default: every
    model of the registering app); every other model of the data map that has an ``owner_path`` and
    exported fields is exported generically.
    """

    def decorator(fn: Exporter) -> Exporter:
        _exporters[name] = fn
        _cover(_export_covered, name, fn, covers)
        return fn

    return decorator


def register_eraser(
    name: str, *, order: int = 100, covers: Iterable[str] | None = None
) -> Callable[[Eraser], Eraser]:
    """``@register_eraser("meetings")`` on ``def erase(*, user, holds) -> dict[str, int]`` (counts).

    ``covers`` works as for :func:`register_exporter`: by default the registering app's models.

    Erasers run inside the one erasure transaction, lowest ``order`` first; the accounts eraser
    (which anonymises the user row itself) runs last. ``holds`` lists the active legal holds'
    category names, whose data the eraser must keep.
    """

    def decorator(fn: Eraser) -> Eraser:
        fn.erase_order = order  # type: ignore[attr-defined]
        _erasers[name] = fn
        _cover(_erase_covered, name, fn, covers)
        return fn

    return decorator


def is_held(holds: Iterable[str] | None, *categories: Category) -> bool:
    """Whether an eraser must keep data of any of ``categories``: ``holds`` is what it was given (the
    active legal holds' category names)."""
    held = {str(h) for h in holds or ()}
    return any(category.value in held for category in categories)


def register_retention(category: str) -> Callable[[Sweep], Sweep]:
    """``@register_retention("access_log")`` on ``def sweep(*, now, days) -> int`` (rows deleted).

    ``category`` is a key of ``settings.RETENTION_DAYS``; the privacy retention task calls every sweep
    whose limit is above 0 with the cut-off computed from that setting.
    """

    def decorator(fn: Sweep) -> Sweep:
        _sweeps[f"{category}:{fn.__module__}.{fn.__qualname__}"] = fn
        fn.retention_category = category  # type: ignore[attr-defined]
        return fn

    return decorator


def retention_sweeps() -> list[tuple[str, Sweep]]:
    return [(getattr(fn, "retention_category", key), fn) for key, fn in sorted(_sweeps.items())]


def export_is_covered(label: str) -> bool:
    return _is_covered(_export_covered, label.lower())


def erase_is_covered(label: str) -> bool:
    return _is_covered(_erase_covered, label.lower())


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def erasers() -> list[tuple[str, Eraser]]:
    return sorted(_erasers.items(), key=lambda item: getattr(item[1], "erase_order", 100))
