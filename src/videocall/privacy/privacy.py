"""Data map entries for framework tables that Django itself owns."""

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session

from videocall.core.datamap import Category, Erasure, FieldDecl, LegalBasis, Purpose, data_map

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

from videocall.privacy.models import (  # noqa: E402
    ConsentRecord,
    DataExport,
    Disclosure,
    LegalHold,
    PageView,
    PolicyNotice,
    PolicyVersion,
    PrivacyRequest,
    PrivacyRequestEvent,
    Processor,
)

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


def _legal(category: Category, keep: str, **kw: object) -> FieldDecl:
    return FieldDecl(category, (Purpose.LEGAL,), LegalBasis.LEGAL_OBLIGATION, keep, **kw)  # type: ignore[arg-type]


_NOTICE = FieldDecl(
    Category.COMMUNICATIONS,
    (Purpose.COMMUNICATIONS, Purpose.LEGAL),
    LegalBasis.LEGAL_OBLIGATION,
    "account",
    erasure=Erasure.CASCADE,
)
data_map.declare(
    PolicyNotice,
    personal={"notified_at": _NOTICE, "acknowledged_at": _NOTICE, "continued_use_at": _NOTICE},
    not_personal={"id": "row id", "user": "owner", "version": "policy version"},
    owner_path="user",
)

_EXPORT = FieldDecl(
    Category.PRIVACY_REQUESTS,
    (Purpose.LEGAL,),
    LegalBasis.LEGAL_OBLIGATION,
    "exports",
    erasure=Erasure.CASCADE,
)
data_map.declare(
    DataExport,
    personal={"requested_at": _EXPORT, "completed_at": _EXPORT, "downloaded_at": _EXPORT},
    not_personal={
        "id": "random id",
        "user": "owner",
        "status": "state",
        "expires_at": "expiry time",
        "file_name": "random storage name; the file is encrypted and deleted at expiry or erasure",
        "size_bytes": "size",
        "privacy_request": "link to the desk request, if any",
    },
    owner_path="user",
)

_REQ = (Purpose.LEGAL,)
data_map.declare(
    PrivacyRequest,
    personal={
        "email": _legal(Category.CONTACT, "privacy_requests", erasure=Erasure.ANONYMISE),
        "message": _legal(Category.PRIVACY_REQUESTS, "privacy_requests", erasure=Erasure.ANONYMISE),
        "extension_reason": _legal(Category.PRIVACY_REQUESTS, "privacy_requests", erasure=Erasure.ANONYMISE),
    },
    not_personal={
        "id": "row id",
        "user": "requester account; kept as proof the request was answered (the account is a tombstone)",
        "kind": "request type code",
        "received_at": "time received",
        "channel": "form, email or support",
        "source_ticket_id": "support ticket reference",
        "verification": "identity verification state",
        "status": "state",
        "due_at": "deadline",
        "extended_to": "extended deadline",
        "closed_at": "time closed",
    },
    owner_path="user",
)
data_map.declare(
    PrivacyRequestEvent,
    personal={
        "note": _legal(
            Category.PRIVACY_REQUESTS, "privacy_requests", exported=False, erasure=Erasure.ANONYMISE
        )
    },
    not_personal={
        "id": "row id",
        "request": "request",
        "at": "time",
        "actor": "staff member",
        "action": "code",
    },
    owner_path="request__user",
)
data_map.declare(
    LegalHold,
    personal={
        "reason": _legal(
            Category.PRIVACY_REQUESTS,
            "privacy_requests",
            exported=False,
            erasure=Erasure.LEGAL_HOLD,
            note="the hold itself outlives the erasure it limits; released holds are reviewed",
        ),
    },
    not_personal={
        "id": "row id",
        "user": "account under hold (kept as a tombstone reference)",
        "categories": "category codes",
        "review_at": "review date",
        "created_at": "time",
        "created_by": "privacy officer",
        "released_at": "time released",
    },
)
data_map.declare(
    Disclosure,
    personal={
        "disclosed": _legal(
            Category.PRIVACY_REQUESTS,
            "privacy_requests",
            exported=False,
            erasure=Erasure.LEGAL_HOLD,
            note="disclosure log to authorities; kept as a legal record",
        ),
    },
    not_personal={
        "id": "row id",
        "user": "subject account (tombstone after erasure)",
        "authority": "public authority name",
        "legal_basis": "legal basis cited",
        "categories": "category codes",
        "user_informed": "flag",
        "not_informed_reason": "legal reason code for not informing (e.g. gag order)",
        "disclosed_at": "time",
        "recorded_by": "privacy officer",
    },
)
data_map.declare(
    PolicyVersion,
    personal={},
    not_personal={
        "id": "row id",
        "number": "version number",
        "text": "policy text",
        "summary": "summary of changes",
        "effective_at": "date",
        "status": "state",
        "reconsent_purposes": "purpose codes",
        "created_at": "time",
        "published_at": "time",
        "created_by": "privacy officer",
        "notify_cursor": "task progress",
        "notify_done_at": "task progress",
    },
)
data_map.declare(
    Processor,
    personal={},
    not_personal={
        "id": "row id",
        "name": "company name",
        "purpose": "purpose",
        "categories": "category codes",
        "location": "country",
        "safeguards": "transfer safeguards",
        "active": "flag",
        "created_at": "time",
    },
)
data_map.declare(
    PageView,
    personal={},
    not_personal={
        "id": "row id",
        "path": "page path, no query string",
        "created_at": "time; no visitor reference",
    },
)

from videocall.privacy import builtin_hooks, retention, signals  # noqa: E402, F401
