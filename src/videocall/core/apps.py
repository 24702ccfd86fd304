from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    # local import: permissions imports django.contrib.auth.models, not importable before the registry is ready
    from videocall.core.permissions import sync_roles

    sync_roles()


class CoreConfig(AppConfig):
    name = "videocall.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.apps import apps

        # local import: connects the Celery task-outcome counters once, when the app registry is ready
        from videocall.core import metrics  # noqa: F401

        # post_migrate is only sent for apps with models; core has none, so listen to accounts (the
        # user model whose groups are the roles). This also restores the roles after a test flush.
        post_migrate.connect(
            _sync_roles, sender=apps.get_app_config("accounts"), dispatch_uid="videocall.core.sync_roles"
        )
