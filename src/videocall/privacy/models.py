from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto.fields import EncryptedSearchableTextField, EncryptedTextField
from videocall.privacy.consents import ConsentPurpose


class ConsentRecord(models.Model):
    """Append-only consent ledger: the latest row per (subject, purpose) is the current choice."""

    class Channel(models.TextChoices):
        WEB = "web", "Website"
        APP = "app", "App"
        SETTINGS = "settings", "Settings"
        BANNER = "banner", "Cookie banner"
        EMAIL = "email", "Email link"
        SYSTEM = "system", "System"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    visitor_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    purpose = models.CharField(max_length=32, choices=[(p.value, p.value) for p in ConsentPurpose])
    granted = models.BooleanField()
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user", "purpose", "-id"])]

    def __str__(self) -> str:
        return f"{self.purpose}={'granted' if self.granted else 'withdrawn'}"


class PolicyVersion(models.Model):
    """One version of the privacy policy. Drafts are edited by the privacy officer; published ones are frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(unique=True)
    text = models.TextField(help_text=_("Markdown. Sections 2 to 6 are generated from the data map."))
    summary = models.TextField(_("summary of changes"), blank=True, default="")
    effective_at = models.DateTimeField(_("effective date"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reconsent_purposes = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text=_("Comma-separated consent purposes this version changes; their consent is asked again."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notify_cursor = models.BigIntegerField(default=0, help_text=_("Highest user id notified so far"))
    notify_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} ({self.status})"

    @property
    def reconsent_list(self) -> list[str]:
        return [p for p in self.reconsent_purposes.split(",") if p]


class PolicyNotice(models.Model):
    """Per user and version: when the change notice went out, and acknowledgement or continued use."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_notices"
    )
    notified_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    continued_use_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="privacy_notice_once")]

    def __str__(self) -> str:
        return f"notice v{self.version_id} #{self.user_id}"


class DataExport(models.Model):
    """A "Download my data" archive: built by a task, stored encrypted, downloadable once until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, default="")
    size_bytes = models.BigIntegerField(default=0)
    privacy_request = models.ForeignKey(
        "PrivacyRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"


class LegalHold(models.Model):
    """Set by the privacy officer: the named categories of this user survive erasure until released."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_holds")
    categories = models.CharField(
        max_length=400, help_text=_("Comma-separated data categories kept (e.g. support_messages)")
    )
    reason = EncryptedTextField()
    review_at = models.DateField(_("review date"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"hold #{self.pk} on #{self.user_id}"

    @property
    def category_list(self) -> list[str]:
        return [c.strip() for c in self.categories.split(",") if c.strip()]


class PrivacyRequest(models.Model):
    """A data subject request handled by the privacy desk (GDPR Art. 12: one month, extendable by two)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access / copy of my data")
        ERASURE = "erasure", _("Erasure")
        RECTIFICATION = "rectification", _("Rectification")
        OBJECTION = "objection", _("Objection")
        RESTRICTION = "restriction", _("Restriction of processing")
        COMPLAINT = "complaint", _("Complaint")
        QUESTION = "question", _("Question")

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        SIGNED_IN = "signed_in", _("Signed in when filed")
        VERIFIED = "verified", _("Verified")
        FAILED = "failed", _("Verification failed")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="privacy_requests",
    )
    email = EncryptedSearchableTextField(blank=True, default="")
    message = EncryptedTextField(blank=True, default="")
    channel = models.CharField(max_length=16, default="form")
    source_ticket_id = models.BigIntegerField(null=True, blank=True)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    received_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(db_index=True)
    extended_to = models.DateTimeField(null=True, blank=True)
    extension_reason = EncryptedTextField(blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"request #{self.pk} {self.kind}"

    @property
    def deadline(self) -> datetime:
        return self.extended_to or self.due_at

    @property
    def overdue(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS) and self.deadline < timezone.now()


class PrivacyRequestEvent(models.Model):
    """History of a privacy request: who did what when (notes are encrypted)."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} on #{self.request_id}"


class Processor(models.Model):
    """A processor or recipient of personal data (Art. 28), listed on the public privacy page."""

    name = models.CharField(max_length=120)
    purpose = models.CharField(max_length=300)
    categories = models.CharField(max_length=400, help_text=_("Comma-separated data categories"))
    location = models.CharField(max_length=120, help_text=_("Country or region where data is processed"))
    safeguards = models.CharField(
        max_length=300, blank=True, default="", help_text=_("e.g. EU adequacy decision, SCCs, DPA signed")
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def category_list(self) -> list[str]:
        return [c.strip() for c in self.categories.split(",") if c.strip()]


class Disclosure(models.Model):
    """Disclosure log: personal data handed to an authority, on which legal basis, and whether the user was told."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )
    authority = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300)
    disclosed = EncryptedTextField(help_text=_("What was disclosed"))
    categories = models.CharField(max_length=400, blank=True, default="")
    user_informed = models.BooleanField(default=False)
    not_informed_reason = models.CharField(max_length=300, blank=True, default="")
    disclosed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"disclosure #{self.pk}"


class PageView(models.Model):
    """First-party analytics beacon: a page path and a time, recorded only with analytics consent.

    No user, visitor id, IP or user agent is stored: counts only.
    """

    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.path
