from django.apps import AppConfig


class CompositionRootConfig(AppConfig):
    """The composition root as an installed app, for the management commands that run the composed
    application: ``worker`` (the Celery app defined here) and ``export_openapi`` (the NinjaAPI assembled
    in ``api.py``). Only this layer may import those, and it has no models (docs/architecture.md)."""

    name = "videocall.config"
    label = "config"
    verbose_name = "Composition root"
