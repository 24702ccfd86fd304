"""The privacy app's problem+json codes (listed in the OpenAPI document's ``ProblemCode``)."""

from __future__ import annotations

from videocall.core.errors import ProblemCode


class PrivacyError(ProblemCode):
    EXPORT_PENDING = "export_pending"  # an export is already being prepared
    EXPORT_EXPIRED = "export_expired"
    EXPORT_UNAVAILABLE = "export_unavailable"
    ALREADY_DELETED = "already_deleted"
    ALREADY_EXTENDED = "already_extended"  # a data-subject request's deadline was extended once already
    NO_ACCOUNT = "no_account"  # the request is not linked to an account
    IDENTITY_UNVERIFIED = "identity_unverified"
    POLICY_PUBLISHED = "policy_published"  # a published policy version cannot change
    POLICY_OUTDATED = "policy_outdated"  # a newer version is already published
    SELF_FLAG = "self_flag"  # staff cannot flag their own account as under age
    INVALID_CHANNEL = "invalid_channel"  # unknown consent channel
