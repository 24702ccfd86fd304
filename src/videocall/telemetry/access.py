from videocall.core.access import Access, Rule
from videocall.core.permissions import Perm

URL_ACCESS: dict[str, Rule] = {
    # Crash intake: authenticated by the project's public key (public by design, like a Sentry DSN).
    "telemetry_crash_envelope": Access.PUBLIC,
    "telemetry_crash_store": Access.PUBLIC,
    "api:telemetry_crash_submit": Access.PUBLIC,
    # The member's own devices and sessions.
    "api:telemetry_devices": Access.AUTHENTICATED,
    "api:telemetry_device_register": Access.AUTHENTICATED,
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
