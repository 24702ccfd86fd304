from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "videocall.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # local import: connects the Celery task-outcome counters once, when the app registry is ready
        from videocall.core import metrics  # noqa: F401
