from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto import blind_index, normalise_email
from videocall.core.crypto.fields import (
    EncryptedSearchableTextField,
    EncryptedTextField,
    blind_index_db_index,
)
from videocall.core.crypto.storage import encrypted_storage
from videocall.core.permissions import STAFF_ROLES, Role


def avatar_path(instance: User, filename: str) -> str:
    # The stored name carries no personal data: a random name under the user's numeric id.
    import secrets

    return f"avatars/{instance.pk or 'new'}/{secrets.token_hex(16)}.webp"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email_index=blind_index(username or ""))

    def get_by_email(self, email: str) -> User:
        return self.get(email_index=blind_index(email))

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_superuser"] = True
        user = self._create(email, password, **extra)
        user.set_roles([Role.ADMINISTRATOR])
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Personal data (email, names, picture) is encrypted; the email is found through
    its blind index. Roles are Django groups named after :class:`videocall.core.permissions.Role`."""

    email = EncryptedSearchableTextField(_("email address"))
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    first_name = EncryptedTextField(_("first name"), blank=True, default="")
    last_name = EncryptedTextField(_("last name"), blank=True, default="")
    avatar = models.FileField(
        _("profile picture"), storage=encrypted_storage, upload_to=avatar_path, blank=True
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    is_active = models.BooleanField(_("active"), default=True)
    age_check_passed_at = models.DateTimeField(_("age check passed at"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(_("language"), max_length=16, default="en")
    is_restricted = models.BooleanField(
        _("processing restricted"),
        default=False,
        help_text=_("GDPR Art. 18: kept, but excluded from analytics and marketing"),
    )
    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # allauth filters users by email: the blind-index prefix of the stored value is indexed.
        indexes = [blind_index_db_index("email", "accounts_user_email_bidx")]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.email:
            self.email = normalise_email(self.email)
            self.email_index = blind_index(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_index"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.is_deleted:
            return str(_("Deleted user"))
        full = f"{self.first_name} {self.last_name}".strip()
        return full or str(_("Member #%(id)s") % {"id": self.pk})

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.first_name or self.display_name

    @property
    def roles(self) -> set[Role]:
        names = {g.name for g in self.groups.all()}
        return {role for role in Role if role.value in names}

    @property
    def is_staff(self) -> bool:
        return self.is_active and (self.is_superuser or bool(self.roles & STAFF_ROLES))

    def set_roles(self, roles: list[Role] | set[Role]) -> None:
        from django.contrib.auth.models import Group

        wanted = {Role.MEMBER, *roles}
        groups = [Group.objects.get_or_create(name=role.value)[0] for role in wanted]
        self.groups.set(groups)


class Device(models.Model):
    """A mobile device or app install the user registered (model and OS come from the app itself,
    because reduced User-Agent strings no longer carry them). Shown next to the session it signed in
    with; its push token is where notifications deliver push alerts. Registered through telemetry's
    device API (``videocall.telemetry.services.device_register``)."""

    class Platform(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "web", _("Web")
        OTHER = "other", _("Other")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.OTHER)
    model = EncryptedTextField(_("device model"), blank=True, default="")
    os_name = models.CharField(_("operating system"), max_length=32, blank=True, default="")
    os_version = models.CharField(_("OS version"), max_length=32, blank=True, default="")
    app_version = models.CharField(_("app version"), max_length=32, blank=True, default="")
    locale = models.CharField(_("locale"), max_length=16, blank=True, default="")
    push_token = EncryptedTextField(_("push token"), blank=True, default="")
    push_provider = models.CharField(
        max_length=8, blank=True, default="", choices=[("fcm", "FCM"), ("apns", "APNs")]
    )
    session_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.os_name} {self.os_version}".strip()


class SiteSettings(models.Model):
    """Sign-up rules administrators change from the staff console; one row (pk=1). Until it is saved
    the values come from the environment (VIDEOCALL_REGISTRATION, VIDEOCALL_MINIMUM_AGE). Read through
    :func:`videocall.accounts.selectors.site_config`, written through
    :func:`videocall.accounts.services.site_settings_update`."""

    class Registration(models.TextChoices):
        OPEN = "open", _("Open: anyone may sign up")
        INVITE_ONLY = "invite-only", _("Invite only")
        CLOSED = "closed", _("Closed")

    registration_mode = models.CharField(max_length=16, choices=Registration.choices)
    minimum_age = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return "site settings"
