from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "videocall.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from videocall.core.signals import new_device_signed_in
        from videocall.notifications import jobs  # connects the Celery lifecycle signals
        from videocall.notifications.receivers import on_new_device

        jobs.install_log_redaction()

        new_device_signed_in.connect(on_new_device, dispatch_uid="videocall.notifications.new_device")
