from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from videocall.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero naming the first broken row."

    def handle(self, *args: Any, **opts: Any) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at event #{report.broken_at}: {report.reason} ({report.checked} rows verified before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events verified."))
