"""One error hierarchy with stable codes, rendered as RFC 9457 problem+json by the API and as form
messages by the website."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.title
        if code:
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
            "code": self.code,
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
    code = "validation_failed"
    title = "The input is not valid"


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"
    title = "Sign-in required"


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"
    title = "Not allowed"


class CsrfFailed(PermissionDenied):
    """A website-session (cookie) write without its CSRF token."""

    code = "csrf_failed"
    title = "CSRF check failed"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(
            message or "Send the CSRF token with this request (or use an app session token).", **kwargs
        )


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    title = "Conflict"


class Gone(ApplicationError):
    status = 410
    code = "gone"
    title = "No longer available"


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"


class ReauthenticationRequired(ApplicationError):
    status = 401
    code = "reauthentication_required"
    title = "Please confirm your password again"


class PayloadTooLarge(ApplicationError):
    status = 413
    code = "payload_too_large"
    title = "Too large"


class UnsupportedMediaType(ApplicationError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported content"
