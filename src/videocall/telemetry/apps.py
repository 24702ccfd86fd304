from django.apps import AppConfig


class TelemetryConfig(AppConfig):
    name = "videocall.telemetry"
    label = "telemetry"
    verbose_name = "Telemetry"
