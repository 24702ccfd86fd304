"""One error hierarchy with stable codes, rendered as RFC 9457 problem+json by the API and as form
messages by the website."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ProblemCode(StrEnum):
    """Base of every app's error-code vocabulary: the problem+json ``code`` a client can switch on.

    Each app that raises its own codes declares ``class <App>Error(ProblemCode)`` in ``<app>/errors.py``;
    the composition root (``config/api.py``) lists them all, and the OpenAPI document's ``ProblemCode``
    schema is their union. A value is never reused by two apps and never changes once released.
    """


class ErrorCode(ProblemCode):
    """The generic codes, one per :class:`ApplicationError` class below."""

    BAD_REQUEST = "bad_request"
    VALIDATION_FAILED = "validation_failed"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    CSRF_FAILED = "csrf_failed"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    GONE = "gone"
    RATE_LIMITED = "rate_limited"
    REAUTHENTICATION_REQUIRED = "reauthentication_required"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"


class CoreError(ProblemCode):
    """Codes of the shared rules that live in core (used by several apps)."""

    REASON_REQUIRED = "reason_required"  # revealing masked personal data needs a reason (core.masking)


class ApplicationError(Exception):
    status = 400
    code: ProblemCode = ErrorCode.BAD_REQUEST
    title = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: ProblemCode | None = None,
        status: int | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.title
        if code is not None:
            if not isinstance(code, ProblemCode):
                raise TypeError(f"code must be a ProblemCode member (an app's error-code enum), not {code!r}")
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)

    def as_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://videocall.network/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code.value,
            "detail": str(self.message),
        }
        if instance:
            body["instance"] = instance
        if self.fields:
            body["errors"] = [
                {"field": field, "message": str(message)}
                for field, messages in self.fields.items()
                for message in messages
            ]
        body.update(self.extra)
        return body


class ValidationFailed(ApplicationError):
    status = 422
    code = ErrorCode.VALIDATION_FAILED
    title = "The input is not valid"


class NotAuthenticated(ApplicationError):
    status = 401
    code = ErrorCode.NOT_AUTHENTICATED
    title = "Sign-in required"


class PermissionDenied(ApplicationError):
    status = 403
    code = ErrorCode.PERMISSION_DENIED
    title = "Not allowed"


class CsrfFailed(PermissionDenied):
    """A website-session (cookie) write without its CSRF token."""

    code = ErrorCode.CSRF_FAILED
    title = "CSRF check failed"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(
            message or "Send the CSRF token with this request (or use an app session token).", **kwargs
        )


class NotFound(ApplicationError):
    status = 404
    code = ErrorCode.NOT_FOUND
    title = "Not found"


class Conflict(ApplicationError):
    status = 409
    code = ErrorCode.CONFLICT
    title = "Conflict"


class Gone(ApplicationError):
    status = 410
    code = ErrorCode.GONE
    title = "No longer available"


class RateLimited(ApplicationError):
    status = 429
    code = ErrorCode.RATE_LIMITED
    title = "Too many requests"


class ReauthenticationRequired(ApplicationError):
    status = 401
    code = ErrorCode.REAUTHENTICATION_REQUIRED
    title = "Please confirm your password again"


class PayloadTooLarge(ApplicationError):
    status = 413
    code = ErrorCode.PAYLOAD_TOO_LARGE
    title = "Too large"


class UnsupportedMediaType(ApplicationError):
    status = 415
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE
    title = "Unsupported content"
