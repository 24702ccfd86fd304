from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "videocall.notifications"
    label = "notifications"
    verbose_name = "Notifications"
