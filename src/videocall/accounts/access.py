from videocall.core.access import Access, Rule

_PUBLIC_FLOWS = [
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
    # Signed-in flows that redirect onward by design (re-authentication first, or nothing to set).
    "account_confirm_reauthentication_code",
    "account_set_password",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_generate_recovery_codes",
    "mfa_deactivate_totp",
]
_SIGNED_IN_FLOWS = [
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_email",
    "account_change_password",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "usersessions_list",
]
_ACCOUNT_PAGES = [
    "accounts:settings",
    "accounts:profile",
    "accounts:picture_upload",
    "accounts:picture_remove",
    "accounts:avatar",
    "accounts:security",
    "accounts:sessions",
    "accounts:session_revoke",
    "accounts:sessions_revoke_others",
]
_API = [
    "api:me",
    "api:me_update",
    "api:me_picture",
    "api:me_picture_remove",
    "api:user_picture",
    "api:me_sessions",
    "api:me_session_revoke",
    "api:me_sessions_revoke_others",
]

URL_ACCESS: dict[str, Rule] = {
    "api:api-root": Access.PUBLIC,
    # A signed, expiring picture link for Jitsi (no cookies there); a bad or old link is a 404.
    "accounts:avatar_link": Access.PUBLIC,
    **dict.fromkeys(_PUBLIC_FLOWS, Access.FRAMEWORK),
    **dict.fromkeys(_SIGNED_IN_FLOWS, Access.AUTHENTICATED),
    **dict.fromkeys(_ACCOUNT_PAGES, Access.AUTHENTICATED),
    **dict.fromkeys(_API, Access.AUTHENTICATED),
}
