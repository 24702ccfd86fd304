"""The real URL patterns plus a page that sets its own CSP, as the meeting page does."""

from django.http import HttpResponse
from django.urls import path

from videocall.config.urls import handler403, handler404, handler500
from videocall.config.urls import urlpatterns as real_patterns
from videocall.core.middleware import build_csp

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def framed_page(request):
    response = HttpResponse("<!doctype html><title>room</title>")
    response["Content-Security-Policy"] = build_csp(
        frame_src=["https://meet.example"], script_src=["https://meet.example"]
    )
    return response


urlpatterns = [*real_patterns, path("probe/framed/", framed_page, name="probe_framed")]
