from videocall.core.access import Access, Rule
from videocall.core.permissions import Perm

URL_ACCESS: dict[str, Rule] = {
    # Sentry-compatible crash intake: only with the project's key (sentry_key); 401 without it.
    "telemetry_crash_envelope": Access.SECRET,
    "telemetry_crash_store": Access.SECRET,
    # Plain JSON crash reports: anyone may submit; the body names the project's key.
    "api:telemetry_crash_submit": Access.PUBLIC,
    # The member's own devices and sessions.
    "api:telemetry_devices": Access.AUTHENTICATED,
    "api:telemetry_device_register": Access.AUTHENTICATED,
    "api:telemetry_device_get": Access.AUTHENTICATED,
    "api:telemetry_device_detail": Access.AUTHENTICATED,
    "api:telemetry_device_remove": Access.AUTHENTICATED,
    "api:telemetry_sessions": Access.AUTHENTICATED,
    "telemetry:devices": Access.AUTHENTICATED,
    "telemetry:device_remove": Access.AUTHENTICATED,
    # Staff.
    "telemetry:crash_list": Perm.CRASHES_VIEW,
    "telemetry:crash_detail": Perm.CRASHES_VIEW,
    "telemetry:trends": Perm.ANALYTICS_VIEW,
    "telemetry:trends_csv": Perm.ANALYTICS_VIEW,
}
