"""Privacy writes. Every function is one transaction and records its audit event.

Export and erasure live in :mod:`videocall.privacy.exports` and :mod:`videocall.privacy.erasure`
and are re-exported here so callers import every privacy write from one place.

A package by sub-domain; every public name is re-exported here so callers keep importing
``videocall.privacy.services``."""

from videocall.privacy.erasure import account_erase
from videocall.privacy.exports import export_download, export_request

from .consent import (
    consent_set,
    consents_set_many,
    restriction_set,
)
from .holds import (
    legal_hold_release,
    legal_hold_set,
    user_flag_child,
)
from .policies import (
    page_view_record,
    policy_acknowledge,
    policy_draft_save,
    policy_notify_batch,
    policy_publish,
    policy_record_continued_use,
)
from .requests import (
    privacy_request_create,
    privacy_request_extend,
    privacy_request_run,
    privacy_request_update,
)

__all__ = [
    "account_erase",
    "consent_set",
    "consents_set_many",
    "export_download",
    "export_request",
    "legal_hold_release",
    "legal_hold_set",
    "page_view_record",
    "policy_acknowledge",
    "policy_draft_save",
    "policy_notify_batch",
    "policy_publish",
    "policy_record_continued_use",
    "privacy_request_create",
    "privacy_request_extend",
    "privacy_request_run",
    "privacy_request_update",
    "restriction_set",
    "user_flag_child",
]
