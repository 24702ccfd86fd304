from videocall.core.access import Access, Rule

URL_ACCESS: dict[str, Rule] = {
    # Website
    "meetings:list": Access.AUTHENTICATED,
    # The view requires Perm.MEETING_CREATE; every account holds the member role (set_roles adds it), so the
    # matrix rule is AUTHENTICATED (a Perm rule would expect the auditor role to be refused).
    "meetings:create": Access.AUTHENTICATED,
    "meetings:history": Access.AUTHENTICATED,
    "meetings:calendar": Access.AUTHENTICATED,
    "meetings:invitation": Access.PUBLIC,  # the emailed guest link, after its token moved to the session
    "meetings:invitation_open": Access.PUBLIC,  # takes the token out of the URL, then redirects
    "meetings:detail": Access.AUTHENTICATED,
    "meetings:edit": Access.AUTHENTICATED,
    "meetings:cancel": Access.AUTHENTICATED,
    "meetings:invite": Access.AUTHENTICATED,
    "meetings:resend": Access.AUTHENTICATED,
    "meetings:revoke": Access.AUTHENTICATED,
    "meetings:respond": Access.AUTHENTICATED,
    "meetings:cohost_add": Access.AUTHENTICATED,
    "meetings:cohost_remove": Access.AUTHENTICATED,
    "meetings:join": Access.PUBLIC,  # guests may join when the meeting allows it; the view checks
    "meetings:attendance": Access.AUTHENTICATED,
    "meetings:attendance_csv": Access.AUTHENTICATED,
    "meetings:ics": Access.AUTHENTICATED,
    # API
    "api:meeting_list": Access.AUTHENTICATED,
    "api:meeting_create": Access.AUTHENTICATED,
    "api:meeting_update": Access.AUTHENTICATED,
    "api:invitation_create": Access.AUTHENTICATED,
    "api:meeting_history": Access.AUTHENTICATED,
    "api:invitation_respond": Access.AUTHENTICATED,
    "api:meeting_detail": Access.AUTHENTICATED,
    "api:meeting_cancel": Access.AUTHENTICATED,
    "api:cohost_add": Access.AUTHENTICATED,
    "api:cohost_remove": Access.AUTHENTICATED,
    "api:invitation_list": Access.AUTHENTICATED,
    "api:invitation_resend": Access.AUTHENTICATED,
    "api:invitation_revoke": Access.AUTHENTICATED,
    "api:meeting_join": Access.PUBLIC,  # guests per the meeting's option; the service checks
    "api:meeting_attendance": Access.AUTHENTICATED,
    "api:webhook_jaas": Access.SECRET,
    "api:webhook_event_sync": Access.SECRET,
}
