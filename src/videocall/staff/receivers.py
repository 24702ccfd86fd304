"""The staff app's answers to signals of lower apps."""

from __future__ import annotations

from typing import Any

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record

# console_changed's ``change`` -> the audit action
CONSOLE_ACTIONS = {
    "added": AuditAction.CONSOLE_ADDED,
    "changed": AuditAction.CONSOLE_CHANGED,
    "deleted": AuditAction.CONSOLE_DELETED,
}


def on_console_changed(
    sender: Any, *, actor: Any, change: str, subject: Any, fields: list[str] | None = None, **_kw: Any
) -> None:
    """A save or delete made through a console page (``core.admin.PermissionAdmin``): one audit event in
    the admin's transaction, naming the changed fields, never their values."""
    audit_record(
        actor=actor,
        action=CONSOLE_ACTIONS[change],
        subject=subject,
        metadata={"fields": fields} if fields is not None else None,
    )
