from videocall.core.access import Access, Rule
from videocall.core.permissions import Perm

URL_ACCESS: dict[str, Rule] = {
    "notifications:inbox": Access.AUTHENTICATED,
    "notifications:read": Access.AUTHENTICATED,
    "notifications:read_all": Access.AUTHENTICATED,
    "notifications:preferences": Access.AUTHENTICATED,
    # One-click unsubscribe (RFC 8058): the signed token in the URL is the documented exception (S18).
    "notifications:unsubscribe": Access.PUBLIC,
    "notifications:jobs": Perm.JOBS_VIEW,
    "api:notifications_list": Access.AUTHENTICATED,
    "api:notifications_read": Access.AUTHENTICATED,
    "api:notifications_read_all": Access.AUTHENTICATED,
    "api:notifications_preferences": Access.AUTHENTICATED,
    "api:notifications_preferences_update": Access.AUTHENTICATED,
}
