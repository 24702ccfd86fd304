from videocall.privacy.registry import Category, Erasure, FieldDecl, LegalBasis, Purpose, data_map
from videocall.telemetry.models import Device

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
