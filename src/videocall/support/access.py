"""Who may open each support URL. Desk ticket pages also admit the privacy desk
(Perm.PRIVACY_REQUESTS_MANAGE) for privacy tickets only; for any other ticket it gets 404."""

from videocall.core.access import Access, Rule
from videocall.core.permissions import Perm

URL_ACCESS: dict[str, Rule] = {
    # Members (object access is checked per ticket: another member's ticket is 404)
    "support:ticket_list": Access.AUTHENTICATED,
    # Perm.SUPPORT_OPEN_TICKET in the view; every account holds it (set_roles always adds the member role)
    "support:ticket_new": Access.AUTHENTICATED,
    "support:ticket_detail": Access.AUTHENTICATED,
    "support:ticket_reply": Access.AUTHENTICATED,
    "support:ticket_close": Access.AUTHENTICATED,
    "support:attachment": Access.AUTHENTICATED,
    # Contact form: anyone; the thread needs the signed cookie a one-time link hands out
    "support:contact": Access.PUBLIC,
    "support:contact_sent": Access.PUBLIC,
    "support:contact_verify": Access.PUBLIC,
    "support:contact_thread": Access.PUBLIC,
    "support:contact_reply": Access.PUBLIC,
    # Desk
    "support:desk_queue": Perm.SUPPORT_QUEUE,
    "support:desk_privacy": Perm.PRIVACY_REQUESTS_MANAGE,
    "support:desk_ticket": Perm.SUPPORT_QUEUE,
    "support:desk_reply": Perm.SUPPORT_REPLY,
    "support:desk_assign": Perm.SUPPORT_ASSIGN,
    "support:desk_status": Perm.SUPPORT_REPLY,
    "support:desk_reveal": Perm.SUPPORT_QUEUE,  # and PII_REVEAL, which every desk role holds
    "support:desk_canned": Perm.SUPPORT_CANNED_MANAGE,
    "support:desk_canned_edit": Perm.SUPPORT_CANNED_MANAGE,
    # API
    "api:support_tickets": Access.AUTHENTICATED,
    "api:support_ticket": Access.AUTHENTICATED,
    "api:support_ticket_messages": Access.AUTHENTICATED,
    "api:support_ticket_close": Access.AUTHENTICATED,
    "api:support_message_attachments": Access.AUTHENTICATED,
    "api:support_attachment": Access.AUTHENTICATED,
    "api:support_contact": Access.PUBLIC,
}
