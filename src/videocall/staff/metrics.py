"""The Prometheus endpoint ``GET /metrics``: behind a bearer token or an allow-listed network.

The metrics themselves are defined in :mod:`videocall.core.metrics`, where every app can count them.
With ``PROMETHEUS_MULTIPROC_DIR`` set, the endpoint adds up the values every process wrote there
(gunicorn workers, Celery workers on the same machine); without it, it exposes this process's own.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

import videocall.core.metrics  # noqa: F401  (the metrics this endpoint exposes are registered on import)


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in getattr(settings, "VIDEOCALL_METRICS_ALLOW_IPS", []) or []:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return networks


def authorised(request: HttpRequest) -> bool:
    token = getattr(settings, "VIDEOCALL_METRICS_TOKEN", None) or ""
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header[7:].strip().encode(), token.encode())
    ):
        return True
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(client in network for network in _allowed_networks())


def exposition() -> bytes:
    """The Prometheus text of every process (multiprocess mode) or of this one."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not authorised(request):
        response = HttpResponse("authentication required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
