from django.apps import AppConfig

from videocall.core.ports import register_notifier
from videocall.core.signals import new_device_signed_in


class NotificationsConfig(AppConfig):
    name = "videocall.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # local import: these modules import models, which exist only once the app registry is ready
        from videocall.notifications import (
            jobs,  # connects the Celery lifecycle signals
            services,
        )
        from videocall.notifications.receivers import on_new_device

        jobs.install_log_redaction()
        register_notifier(services)  # accounts and privacy send their notices through core.ports
        new_device_signed_in.connect(on_new_device, dispatch_uid="videocall.notifications.new_device")
