"""The Sentry-compatible intake, mounted at /api/ (outside /api/v1) because the SDKs derive the URL
from the DSN: ``<scheme>://<key>@<host>/<project_id>`` -> ``/api/<project_id>/envelope/``."""

from django.urls import URLPattern, URLResolver, path

from videocall.telemetry import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:project_id>/envelope/", views.crash_envelope, name="telemetry_crash_envelope"),
    path("<int:project_id>/store/", views.crash_store, name="telemetry_crash_store"),
]
