from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "videocall.support"
    label = "support"
    verbose_name = "Support"
