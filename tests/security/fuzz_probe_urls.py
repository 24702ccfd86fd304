"""The real URL patterns plus a small API with one broken operation (the fuzzer's own test)."""

from django.urls import path
from ninja import NinjaAPI, Query, Schema

from videocall.config.urls import handler403, handler404, handler500
from videocall.config.urls import urlpatterns as real_patterns
from videocall.core.api import api_auth, install_problem_handlers

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

probe_api = NinjaAPI(title="probe", version="0", urls_namespace="probe_api", docs_url=None)
install_problem_handlers(probe_api)


class EchoOut(Schema):
    value: int


@probe_api.get("/echo", response={200: EchoOut}, auth=api_auth)
def echo(request, value: int = Query(..., ge=0, le=1000)):
    return {"value": value}


@probe_api.get("/divide", response={200: EchoOut}, auth=api_auth)
def divide(request, value: int = Query(..., ge=0, le=1000)):
    return {
        "value": 1000 // (value % 5)
    }  # multiples of 5 -> ZeroDivisionError -> 500: the fuzzer must notice


urlpatterns = [*real_patterns, path("probe-api/", probe_api.urls)]
