from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from videocall.core.permissions import sync_roles

    sync_roles()


class CoreConfig(AppConfig):
    name = "videocall.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="videocall.core.sync_roles")
