from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "videocall.audit"
    label = "audit"
    verbose_name = "Audit"
