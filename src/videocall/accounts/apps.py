from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    """The roles are groups of users: (re)create them with their permissions after every migrate (and
    after a test flush). Core declares the roles; accounts owns the users they are given to."""
    # local import: permissions imports django.contrib.auth.models, not importable before the registry is ready
    from videocall.core.permissions import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "videocall.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # local import: receivers imports models, which exist only once the app registry is ready
        from videocall.accounts import receivers  # noqa: F401 - connects the audit receivers

        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="videocall.accounts.sync_roles")
