"""The telemetry app's problem+json codes (listed in the OpenAPI document's ``ProblemCode``).

The Sentry-compatible crash intake (outside /api/v1) answers with the same codes."""

from __future__ import annotations

from videocall.core.errors import ProblemCode


class TelemetryError(ProblemCode):
    DEVICE_NOT_FOUND = "device_not_found"
    PUSH_PROVIDER_REQUIRED = "push_provider_required"  # a push token needs its provider
    CRASH_GROUP_NOT_FOUND = "crash_group_not_found"
    CRASH_PLATFORM_INVALID = "crash_platform_invalid"
    CRASH_PROJECT_NAME = "crash_project_name"  # a name of 1 to 80 characters is required
    CRASH_BAD_KEY = "crash_bad_key"  # missing or unknown sentry_key
    CRASH_RATE_LIMITED = "crash_rate_limited"
    CRASH_TOO_LARGE = "crash_too_large"
    CRASH_BAD_ENCODING = "crash_bad_encoding"
    CRASH_UNSUPPORTED_ENCODING = "crash_unsupported_encoding"
    ENVELOPE_INVALID = "envelope_invalid"
