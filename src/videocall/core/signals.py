"""Signals between apps, so one domain can react to another without importing its internals."""

from django.dispatch import Signal

# Sent by support when a ticket in the "privacy" category is opened (by a user or the contact form).
# kwargs: ticket_id: int, user: User | None, email: str (the requester's address), subject: str, message: str
privacy_inquiry_received = Signal()

# Sent by accounts after a user signs in from a device or browser not seen before.
# kwargs: user: User, device_label: str, country: str
new_device_signed_in = Signal()
