"""The one NinjaAPI of the platform, mounted at /api/v1/. Each app contributes a Router."""

from ninja import NinjaAPI

from videocall.accounts.api import router as accounts_router
from videocall.accounts.errors import AccountsError
from videocall.core.api import install_problem_handlers
from videocall.core.errors import CoreError
from videocall.meetings.api import router as meetings_router
from videocall.meetings.errors import MeetingsError
from videocall.notifications.api import router as notifications_router
from videocall.privacy.api import router as privacy_router
from videocall.privacy.errors import PrivacyError
from videocall.staff.errors import StaffError
from videocall.support.api import router as support_router
from videocall.support.errors import SupportError
from videocall.telemetry.api import router as telemetry_router
from videocall.telemetry.errors import TelemetryError

# Every app's error-code vocabulary (core's generic ErrorCode is always added): the OpenAPI document's
# ProblemCode enum is their union, so a client can switch on a problem's `code`.
ERROR_CODES = (
    CoreError,
    AccountsError,
    MeetingsError,
    PrivacyError,
    StaffError,
    SupportError,
    TelemetryError,
)

api = NinjaAPI(
    title="VideoCall Network API",
    version="1",
    description="The API the VideoCall Network mobile app and integrations use. Errors are RFC 9457 "
    "problem+json documents with a stable `code`. Authentication: the website session (with CSRF) or "
    "the app's allauth headless session token in `X-Session-Token` (see /api/v1/auth/).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api, vocabularies=ERROR_CODES)

api.add_router("/", accounts_router)
api.add_router("/meetings", meetings_router)
api.add_router("/privacy", privacy_router)
api.add_router("/support", support_router)
api.add_router("/telemetry", telemetry_router)
api.add_router("/notifications", notifications_router)
