"""Data map entries for framework tables that Django itself owns."""

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session

from videocall.privacy.registry import Category, Erasure, FieldDecl, LegalBasis, Purpose, data_map

data_map.exclude("contenttypes.contenttype", "model registry of the framework; no personal data")
data_map.exclude("auth.permission", "permission definitions; no personal data")
data_map.exclude("auth.group", "role definitions; no personal data")
data_map.exclude("auth.group_permissions", "role-to-permission links; no personal data")

data_map.declare(
    Session,
    personal={
        "session_key": FieldDecl(
            Category.COOKIES_TOKENS,
            (Purpose.AUTHENTICATION,),
            LegalBasis.CONTRACT,
            retention="account",
            exported=False,
            note="the session cookie's server side; ends at sign-out or expiry",
        ),
        "session_data": FieldDecl(
            Category.COOKIES_TOKENS,
            (Purpose.AUTHENTICATION,),
            LegalBasis.CONTRACT,
            retention="account",
            exported=False,
            note="signed session state; deleted at sign-out, expiry or account deletion",
        ),
    },
    not_personal={"expire_date": "expiry time of the session"},
)

data_map.declare(
    LogEntry,
    personal={
        "object_repr": FieldDecl(
            Category.IDENTITY,
            (Purpose.SECURITY,),
            LegalBasis.LEGITIMATE_INTERESTS,
            retention="audit_log",
            exported=False,
            erasure=Erasure.ANONYMISE,
            note="staff console change history may show the display name of the changed object",
        ),
        "change_message": FieldDecl(
            Category.ACCOUNT,
            (Purpose.SECURITY,),
            LegalBasis.LEGITIMATE_INTERESTS,
            retention="audit_log",
            exported=False,
            erasure=Erasure.ANONYMISE,
        ),
    },
    not_personal={
        "id": "row id",
        "action_time": "time of the staff change",
        "user": "the staff member who made the change",
        "content_type": "type of the changed object",
        "object_id": "numeric id of the changed object",
        "action_flag": "add/change/delete",
    },
)

from videocall.privacy.models import ConsentRecord  # noqa: E402

data_map.declare(
    ConsentRecord,
    personal={
        "purpose": FieldDecl(
            Category.CONSENTS,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            erasure=Erasure.CASCADE,
        ),
        "granted": FieldDecl(
            Category.CONSENTS,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            erasure=Erasure.CASCADE,
        ),
        "policy_version": FieldDecl(
            Category.CONSENTS,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            erasure=Erasure.CASCADE,
        ),
        "channel": FieldDecl(
            Category.CONSENTS,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            erasure=Erasure.CASCADE,
        ),
        "created_at": FieldDecl(
            Category.CONSENTS,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            erasure=Erasure.CASCADE,
        ),
        "visitor_id": FieldDecl(
            Category.COOKIES_TOKENS,
            (Purpose.LEGAL,),
            LegalBasis.LEGAL_OBLIGATION,
            "account",
            exported=False,
            erasure=Erasure.CASCADE,
            note="random id of the consent cookie for visitors who are not signed in",
        ),
    },
    not_personal={"id": "row id", "user": "owner"},
    owner_path="user",
)
