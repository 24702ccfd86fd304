"""The real URL patterns plus a page that fails, to make the "Server errors" alert's condition true."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from videocall.config.urls import handler403, handler404, handler500
from videocall.config.urls import urlpatterns as real_patterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def failing_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [*real_patterns, path("probe/failing/", failing_page, name="probe_failing")]
