from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.crypto import blind_index
from videocall.core.permissions import Role


class Command(BaseCommand):
    help = "Create an administrator (interactive, or with --email and VIDEOCALL_ADMIN_PASSWORD / --password-file)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-file", help="read the password from this file (never pass it as an argument)"
        )
        parser.add_argument("--no-input", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        interactive = not opts["no_input"]
        email = opts["email"] or (input("Email: ").strip() if interactive else "")
        if not email or "@" not in email:
            raise CommandError("a valid --email is required")
        if opts["password_file"]:
            with open(opts["password_file"], encoding="utf-8") as handle:
                password = handle.read().strip()
        elif os.environ.get("VIDEOCALL_ADMIN_PASSWORD"):
            password = os.environ["VIDEOCALL_ADMIN_PASSWORD"]
        elif interactive:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        else:
            raise CommandError(
                "with --no-input, give the password by VIDEOCALL_ADMIN_PASSWORD or --password-file"
            )
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if User.objects.filter(email_index=blind_index(email)).exists():
            raise CommandError("an account with this email exists already")
        from django.utils import timezone

        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=opts["first_name"],
                last_name=opts["last_name"],
                age_check_passed_at=timezone.now(),
            )
            user.set_roles([Role.ADMINISTRATOR])
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            audit_record(actor="cli", action=AuditAction.USER_CREATED_ADMIN, subject=user)
        self.stdout.write(self.style.SUCCESS(f"Administrator #{user.pk} created."))
