"""Data map entries for accounts and the django-allauth tables that hold account data; export and
erasure of the user's registered devices and of the console's sign-up settings.

The account itself and allauth's tables are exported and erased by ``privacy/builtin_hooks.py``."""

from collections.abc import Iterable, Iterator
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from videocall.accounts.models import Device, SiteSettings, User
from videocall.core.datamap import (
    Category,
    Erasure,
    ExportSection,
    FieldDecl,
    LegalBasis,
    Purpose,
    data_map,
    is_held,
    register_eraser,
    register_exporter,
)

_ACCOUNT = (Purpose.ACCOUNT,)
_AUTH = (Purpose.AUTHENTICATION,)

data_map.declare(
    User,
    personal={
        "email": FieldDecl(
            Category.CONTACT,
            (*_ACCOUNT, *_AUTH, Purpose.COMMUNICATIONS),
            LegalBasis.CONTRACT,
            "account",
            erasure=Erasure.ANONYMISE,
        ),
        "email_index": FieldDecl(
            Category.CONTACT,
            _AUTH,
            LegalBasis.CONTRACT,
            "account",
            exported=False,
            erasure=Erasure.ANONYMISE,
            note="HMAC blind index of the email, for sign-in lookups",
        ),
        "first_name": FieldDecl(
            Category.IDENTITY,
            (*_ACCOUNT, Purpose.MEETINGS),
            LegalBasis.CONTRACT,
            "account",
            erasure=Erasure.ANONYMISE,
        ),
        "last_name": FieldDecl(
            Category.IDENTITY,
            (*_ACCOUNT, Purpose.MEETINGS),
            LegalBasis.CONTRACT,
            "account",
            erasure=Erasure.ANONYMISE,
        ),
        "password": FieldDecl(
            Category.CREDENTIALS,
            _AUTH,
            LegalBasis.CONTRACT,
            "account",
            exported=False,
            erasure=Erasure.ANONYMISE,
            note="Argon2id hash; never the password itself",
        ),
        "avatar": FieldDecl(
            Category.PROFILE_PICTURE, (*_ACCOUNT, Purpose.MEETINGS), LegalBasis.CONTRACT, "account"
        ),
        "date_joined": FieldDecl(
            Category.ACCOUNT, _ACCOUNT, LegalBasis.CONTRACT, "account", erasure=Erasure.ANONYMISE
        ),
        "last_login": FieldDecl(
            Category.ACTIVITY,
            (*_AUTH, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            "account",
            erasure=Erasure.ANONYMISE,
        ),
        "age_check_passed_at": FieldDecl(
            Category.ACCOUNT,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            erasure=Erasure.ANONYMISE,
            note="only that the age check passed and when; never the date of birth",
        ),
        "timezone": FieldDecl(
            Category.ACCOUNT, _ACCOUNT, LegalBasis.CONTRACT, "account", erasure=Erasure.ANONYMISE
        ),
        "language": FieldDecl(
            Category.ACCOUNT, _ACCOUNT, LegalBasis.CONTRACT, "account", erasure=Erasure.ANONYMISE
        ),
    },
    not_personal={
        "id": "row id; kept as the tombstone others' records point to",
        "is_active": "account state",
        "is_superuser": "operator flag",
        "is_deleted": "tombstone flag",
        "is_restricted": "restriction of processing flag",
        "deleted_at": "time of deletion",
        "groups": "roles",
        "user_permissions": "individual permissions (unused; roles grant permissions)",
    },
    owner_path="id",
)
data_map.exclude("accounts.user_groups", "user-to-role links; roles are not personal data beyond the account")
data_map.exclude("accounts.user_user_permissions", "unused; permissions come from roles")

data_map.declare(
    EmailAddress,
    personal={
        "email": FieldDecl(
            Category.CONTACT,
            (*_AUTH, Purpose.COMMUNICATIONS),
            LegalBasis.CONTRACT,
            "account",
            note="encrypted with a blind index (docs/decisions/0002-encrypting-allauth-tables.md)",
        ),
    },
    not_personal={
        "id": "row id",
        "user": "owner",
        "verified": "verification state",
        "primary": "primary flag",
    },
    owner_path="user",
)
data_map.declare(
    EmailConfirmation,
    personal={
        "key": FieldDecl(
            Category.COOKIES_TOKENS,
            _AUTH,
            LegalBasis.CONTRACT,
            "unverified_signups",
            exported=False,
            erasure=Erasure.CASCADE,
        ),
    },
    not_personal={"id": "row id", "email_address": "link", "created": "time", "sent": "time"},
    owner_path="email_address__user",
)
data_map.declare(
    Authenticator,
    personal={
        "data": FieldDecl(
            Category.CREDENTIALS,
            _AUTH,
            LegalBasis.CONTRACT,
            "account",
            exported=False,
            erasure=Erasure.CASCADE,
            note="TOTP secret and hashed recovery codes, encrypted by the MFA adapter",
        ),
        "created_at": FieldDecl(
            Category.CREDENTIALS, _AUTH, LegalBasis.CONTRACT, "account", erasure=Erasure.CASCADE
        ),
        "last_used_at": FieldDecl(
            Category.ACTIVITY, _AUTH, LegalBasis.CONTRACT, "account", erasure=Erasure.CASCADE
        ),
    },
    not_personal={"id": "row id", "user": "owner", "type": "factor type"},
    owner_path="user",
)
data_map.declare(
    UserSession,
    personal={
        "ip": FieldDecl(
            Category.NETWORK,
            (*_AUTH, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            "ip_address",
            erasure=Erasure.CASCADE,
            note="encrypted; shown to the user only as a country (iptocc)",
        ),
        "user_agent": FieldDecl(
            Category.BROWSER,
            (*_AUTH, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            "account",
            erasure=Erasure.CASCADE,
            note="encrypted; shown as browser and operating system (ua-parser)",
        ),
        "created_at": FieldDecl(
            Category.ACTIVITY, _AUTH, LegalBasis.CONTRACT, "account", erasure=Erasure.CASCADE
        ),
        "last_seen_at": FieldDecl(
            Category.ACTIVITY, _AUTH, LegalBasis.CONTRACT, "account", erasure=Erasure.CASCADE
        ),
        "data": FieldDecl(
            Category.COOKIES_TOKENS,
            _AUTH,
            LegalBasis.CONTRACT,
            "account",
            exported=False,
            erasure=Erasure.CASCADE,
        ),
    },
    not_personal={"id": "row id", "user": "owner", "session_key": "server-side session reference"},
    owner_path="user",
)


# --- Devices and app installs (registered through telemetry's device API) ----------------------

_SEC = (Purpose.AUTHENTICATION, Purpose.SECURITY, Purpose.ANALYTICS)

data_map.declare(
    Device,
    personal={
        "model": FieldDecl(
            Category.DEVICE, _SEC, LegalBasis.LEGITIMATE_INTERESTS, "account", erasure=Erasure.CASCADE
        ),
        "os_name": FieldDecl(
            Category.DEVICE, _SEC, LegalBasis.LEGITIMATE_INTERESTS, "account", erasure=Erasure.CASCADE
        ),
        "os_version": FieldDecl(
            Category.DEVICE, _SEC, LegalBasis.LEGITIMATE_INTERESTS, "account", erasure=Erasure.CASCADE
        ),
        "app_version": FieldDecl(
            Category.DEVICE, _SEC, LegalBasis.LEGITIMATE_INTERESTS, "account", erasure=Erasure.CASCADE
        ),
        "locale": FieldDecl(
            Category.DEVICE,
            (Purpose.COMMUNICATIONS,),
            LegalBasis.CONTRACT,
            "account",
            erasure=Erasure.CASCADE,
        ),
        "push_token": FieldDecl(
            Category.COOKIES_TOKENS,
            (Purpose.COMMUNICATIONS,),
            LegalBasis.CONSENT,
            "account",
            exported=False,
            erasure=Erasure.CASCADE,
            recipients=("push",),
        ),
        "created_at": FieldDecl(
            Category.ACTIVITY, _SEC, LegalBasis.LEGITIMATE_INTERESTS, "account", erasure=Erasure.CASCADE
        ),
        "last_seen_at": FieldDecl(
            Category.ACTIVITY, _SEC, LegalBasis.LEGITIMATE_INTERESTS, "account", erasure=Erasure.CASCADE
        ),
    },
    not_personal={
        "id": "row id",
        "user": "owner",
        "platform": "android/ios/web",
        "push_provider": "fcm/apns",
        "session_key": "link to the app session",
    },
    owner_path="user",
)


# --- Sign-up settings saved from the staff console ---------------------------------------------------

data_map.declare(
    SiteSettings,
    personal={},
    not_personal={
        "id": "row id",
        "registration_mode": "setting",
        "minimum_age": "setting",
        "updated_at": "time",
        "updated_by": "staff account reference",
    },
)


def _device_rows(user: Any) -> Iterator[dict[str, Any]]:
    for d in Device.objects.filter(user=user).order_by("created_at", "id"):
        yield {
            "id": d.pk,
            "platform": d.platform,
            "model": d.model,
            "os_name": d.os_name,
            "os_version": d.os_version,
            "app_version": d.app_version,
            "locale": d.locale,
            "push_provider": d.push_provider,
            "has_push_token": bool(d.push_token),
            "registered_at": d.created_at.isoformat(),
            "last_seen_at": d.last_seen_at.isoformat(),
        }


@register_exporter("devices", covers=("accounts.device",))
def export_devices(user: Any) -> Iterable[ExportSection]:
    yield ExportSection(
        "devices",
        Category.DEVICE,
        "Devices you registered in the app (push tokens are not included).",
        rows=_device_rows(user),
    )


@register_eraser("devices", order=100, covers=("accounts.device",))
def erase_devices(*, user: Any, holds: Any) -> dict[str, int]:
    """Delete the user's devices and their push tokens, unless device data is under a legal hold."""
    if is_held(holds, Category.DEVICE):
        return {"devices": 0}
    return {"devices": Device.objects.filter(user=user).delete()[0]}


@register_eraser("site_settings", order=500, covers=())
def erase_site_settings_editor(*, user: Any, holds: Any) -> dict[str, int]:
    """The settings stay; only the link to the erased staff member who last saved them is cut."""
    return {"site_settings": SiteSettings.objects.filter(updated_by=user).update(updated_by=None)}
