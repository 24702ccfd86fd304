"""The real URL patterns plus a page that replaces CSP directives with django-csp, as the meeting page
does."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.http import HttpResponse
from django.urls import path

from videocall.config.urls import handler403, handler404, handler500
from videocall.config.urls import urlpatterns as real_patterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@csp_replace({"frame-src": [SELF, "https://meet.example"], "script-src": [SELF, "https://meet.example"]})
def framed_page(request):
    return HttpResponse("<!doctype html><title>room</title>")


urlpatterns = [*real_patterns, path("probe/framed/", framed_page, name="probe_framed")]
