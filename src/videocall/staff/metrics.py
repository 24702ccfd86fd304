"""The Prometheus endpoint ``GET /metrics``: behind a bearer token or an allow-listed network.

The metrics themselves are defined in :mod:`videocall.core.metrics`, where every app can count them.
With ``PROMETHEUS_MULTIPROC_DIR`` set, the endpoint adds up the values every process wrote there
(gunicorn workers, Celery workers on the same machine); without it, it exposes this process's own.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric

import videocall.core.metrics  # noqa: F401  (the metrics this endpoint exposes are registered on import)
from videocall.staff.selectors import incidents_deadline_near

logger = logging.getLogger(__name__)


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


class TLSCertificateCollector:
    """``videocall_tls_certificate_expiry_timestamp_seconds``: when the certificate ``videocall serve``
    terminates TLS with (``VIDEOCALL_TLS_CERTFILE``) expires, read at each scrape, so a renewed file is
    seen at once (the "TLS certificate expiry" alert). Absent when the proxy terminates TLS."""

    def collect(self) -> Iterator[Metric]:
        path = getattr(settings, "VIDEOCALL_TLS_CERTFILE", "") or ""
        if not path:
            return
        gauge = GaugeMetricFamily(
            "videocall_tls_certificate_expiry_timestamp_seconds",
            "Unix time at which the served TLS certificate expires",
        )
        try:
            cert = x509.load_pem_x509_certificate(Path(path).read_bytes())
        except (OSError, ValueError):
            gauge.add_metric([], 0.0)  # unreadable or not PEM: treated as already expired
        else:
            gauge.add_metric([], cert.not_valid_after_utc.timestamp())
        yield gauge


class IncidentDeadlineCollector:
    """``videocall_incidents_authority_deadline_near``: open incidents whose supervisory authority was
    not notified, with less than 24 hours left of the 72-hour deadline (or past it), counted at each
    scrape from the incident register (the "Incident deadline near" alert)."""

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "videocall_incidents_authority_deadline_near",
            "Open incidents without authority notification and under 24 h from the 72-hour deadline",
        )
        try:
            near = incidents_deadline_near()
        except (
            Exception
        ):  # the database is down (the "Not ready" alert fires): the other metrics still answer
            logger.warning("incident register unreadable: no incident-deadline gauge in this scrape")
            return
        gauge.add_metric([], float(near))
        yield gauge


def exposition() -> bytes:
    """The Prometheus text of every process (multiprocess mode) or of this one, and the TLS gauge."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    registry = CollectorRegistry()
    if directory:
        multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    registry.register(TLSCertificateCollector())  # type: ignore[arg-type]
    registry.register(IncidentDeadlineCollector())  # type: ignore[arg-type]
    own = b"" if directory else generate_latest(REGISTRY)
    return own + generate_latest(registry)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not authorised(request):
        response = HttpResponse("authentication required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
