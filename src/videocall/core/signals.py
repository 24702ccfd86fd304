"""Signals between apps, so one domain can react to another without importing its internals."""

from django.dispatch import Signal

# Sent by support when a ticket in the "privacy" category is opened (by a user or the contact form).
# kwargs: ticket_id: int, user: User | None, email: str (the requester's address), subject: str, message: str
privacy_inquiry_received = Signal()

# Sent by accounts after a user signs in from a device or browser not seen before.
# kwargs: user: User, device_label: str, country: str
new_device_signed_in = Signal()

# Sent by the console base class (core.admin.PermissionAdmin) for every save and delete made through the
# staff console, inside the admin's transaction; the staff app writes the audit event. The console
# refuses to write when nothing receives it.
# kwargs: actor: User, change: "added" | "changed" | "deleted", subject: Model | (label, pk),
#         fields: list[str] | None (the changed field names, never their values)
console_changed = Signal()
