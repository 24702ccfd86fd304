from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

PlatformIn = Literal["android", "ios", "web", "other"]
ProviderIn = Literal["fcm", "apns", ""]


class DeviceRegisterIn(Schema):
    platform: PlatformIn = "other"
    model: str = Field("", max_length=100)
    os_name: str = Field("", max_length=32)
    os_version: str = Field("", max_length=32)
    app_version: str = Field("", max_length=32)
    locale: str = Field("", max_length=16, pattern=r"^([A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)?$")
    push_token: str = Field("", max_length=4096)
    push_provider: ProviderIn = ""


class DeviceUpdateIn(Schema):
    platform: PlatformIn | None = None
    model: str | None = Field(None, max_length=100)
    os_name: str | None = Field(None, max_length=32)
    os_version: str | None = Field(None, max_length=32)
    app_version: str | None = Field(None, max_length=32)
    locale: str | None = Field(None, max_length=16, pattern=r"^([A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)?$")
    push_token: str | None = Field(None, max_length=4096)
    push_provider: ProviderIn | None = None


class DeviceOut(Schema):
    id: int
    platform: str
    model: str
    os_name: str
    os_version: str
    app_version: str
    locale: str
    push_provider: str
    has_push_token: bool
    current: bool
    created_at: datetime
    last_seen_at: datetime


class TelemetrySessionOut(Schema):
    started_at: datetime
    ended_at: datetime
    requests: int
    browser: str
    os: str
    country: str
    auth: str


class CrashFrameIn(Schema):
    filename: str = Field("", max_length=300)
    module: str = Field("", max_length=300)
    function: str = Field("", max_length=300)
    lineno: int | None = Field(None, ge=0, le=10_000_000)
    in_app: bool = False


class CrashBreadcrumbIn(Schema):
    timestamp: str = Field("", max_length=40)
    category: str = Field("", max_length=100)
    message: str = Field("", max_length=500)


class CrashSubmitIn(Schema):
    """A crash report in plain JSON (for clients without a Sentry SDK)."""

    project_key: str = Field(..., min_length=32, max_length=32, pattern=r"^[0-9a-f]{32}$")
    event_id: str = Field("", max_length=36, pattern=r"^[0-9a-fA-F-]*$")
    occurred_at: datetime | None = None
    platform: str = Field("", max_length=32)
    level: Literal["fatal", "error", "warning", "info", "debug"] = "error"
    exception_type: str = Field("", max_length=200)
    message: str = Field("", max_length=2000)
    frames: list[CrashFrameIn] = Field(default_factory=list, max_length=100)
    app_version: str = Field("", max_length=64)
    environment: str = Field("", max_length=64)
    os_name: str = Field("", max_length=32)
    os_version: str = Field("", max_length=32)
    device_model: str = Field("", max_length=100)
    user_id: str = Field("", max_length=18, pattern=r"^[0-9]*$")
    breadcrumbs: list[CrashBreadcrumbIn] = Field(default_factory=list, max_length=100)

    def as_event(self) -> dict[str, Any]:
        """The same shape a Sentry SDK sends, so one ingestion path handles both."""
        event: dict[str, Any] = {
            "event_id": self.event_id,
            "platform": self.platform,
            "level": self.level,
            "release": self.app_version,
            "environment": self.environment,
            "contexts": {
                "os": {"name": self.os_name, "version": self.os_version},
                "device": {"model": self.device_model},
            },
            "breadcrumbs": {"values": [b.dict() for b in self.breadcrumbs]},
        }
        if self.occurred_at:
            event["timestamp"] = self.occurred_at.isoformat()
        if self.user_id:
            event["user"] = {"id": self.user_id}
        if self.exception_type or self.frames:
            event["exception"] = {
                "values": [
                    {
                        "type": self.exception_type,
                        "value": self.message,
                        "stacktrace": {"frames": [f.dict() for f in self.frames]},
                    }
                ]
            }
        else:
            event["message"] = self.message
        return event


class CrashAcceptedOut(Schema):
    id: str
