"""Support tickets: a requester (member or verified contact-form visitor), a thread of messages,
screenshots, canned replies for agents, and the log of staff revealing a requester's identity."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto.fields import EncryptedTextField
from videocall.core.crypto.storage import encrypted_storage


class TicketCategory(models.TextChoices):
    ACCOUNT = "account", _("Account")
    MEETINGS = "meetings", _("Meetings")
    PRIVACY = "privacy", _("Privacy")
    OTHER = "other", _("Other")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on user")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class TicketPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to_desk(self) -> TicketQuerySet:
        """Tickets staff may see: members' tickets and contact-form tickets whose address is verified."""
        return self.filter(
            models.Q(requester__isnull=False)
            | models.Q(contact_verified_at__isnull=False)
            | models.Q(requester_erased_at__isnull=False)
        )

    def agent_queue(self) -> TicketQuerySet:
        """The support agents' queue: everything except privacy inquiries (the privacy desk's)."""
        return self.visible_to_desk().exclude(category=TicketCategory.PRIVACY)

    def privacy_desk(self) -> TicketQuerySet:
        return self.visible_to_desk().filter(category=TicketCategory.PRIVACY)


class Ticket(models.Model):
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
    )
    # Contact-form requesters (no account): the address, encrypted, and its blind index.
    contact_email = EncryptedTextField(blank=True, default="")
    contact_email_index = models.CharField(max_length=64, blank=True, default="", db_index=True)
    contact_verified_at = models.DateTimeField(null=True, blank=True)
    # One-time link (verification, then one per agent reply): only the SHA-256 of the token is stored.
    link_token_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)

    category = models.CharField(max_length=16, choices=TicketCategory.choices)
    subject = EncryptedTextField()
    status = models.CharField(
        max_length=16, choices=TicketStatus.choices, default=TicketStatus.OPEN, db_index=True
    )
    priority = models.CharField(max_length=16, choices=TicketPriority.choices, blank=True, default="")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_support_tickets",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    requester_erased_at = models.DateTimeField(null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [models.Index(fields=["category", "status"])]

    def __str__(self) -> str:
        return f"Ticket #{self.pk}"

    @property
    def is_anonymous(self) -> bool:
        return self.requester_id is None

    @property
    def is_closed(self) -> bool:
        return self.status == TicketStatus.CLOSED

    @property
    def requester_name(self) -> str:
        if self.requester is not None:
            return self.requester.display_name
        if self.requester_erased_at:
            return str(_("Deleted user"))
        return str(_("Contact form visitor"))

    @property
    def requester_email(self) -> str:
        if self.requester is not None:
            return "" if self.requester.is_deleted else self.requester.email
        return self.contact_email

    @property
    def first_response_time(self) -> timedelta | None:
        return self.first_response_at - self.created_at if self.first_response_at else None

    @property
    def resolution_time(self) -> timedelta | None:
        end = self.resolved_at or self.closed_at
        return end - self.created_at if end else None

    @property
    def display_subject(self) -> str:
        return self.subject or str(_("(erased)"))


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    # None with from_staff=False: the contact-form visitor; None with from_staff=True: a deleted agent.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_messages",
    )
    from_staff = models.BooleanField(default=False)
    body = EncryptedTextField(blank=True, default="")
    is_internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message #{self.pk} on ticket #{self.ticket_id}"

    @property
    def author_label(self) -> str:
        """The name shown to the requester: staff appear as the team, never by name."""
        if self.from_staff:
            return str(_("Support team"))
        return self.ticket.requester_name


def attachment_path(instance: Attachment, filename: str) -> str:
    # No personal data in the stored name: a random name under the ticket's numeric id.
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    return f"support/{instance.message.ticket_id}/{secrets.token_hex(16)}.{extension}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_attachments",
    )
    file = models.FileField(storage=encrypted_storage, upload_to=attachment_path)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Attachment #{self.pk}"

    @property
    def filename(self) -> str:
        extension = "jpg" if self.content_type == "image/jpeg" else "png"
        return f"screenshot-{self.pk}.{extension}"

    def delete_file(self) -> None:
        if self.file:
            self.file.delete(save=False)


class CannedReply(models.Model):
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=5000)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.title


class PIIReveal(models.Model):
    """A staff member saw a requester's unmasked name and email, with the reason they gave."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="support_reveals"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="reveals")
    reason = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "PII reveal"

    def __str__(self) -> str:
        return f"Reveal #{self.pk} on ticket #{self.ticket_id}"
