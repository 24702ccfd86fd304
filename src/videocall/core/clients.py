"""Who is calling: the client's IP address behind the configured proxies, its country, and a short
summary of its user agent. One function per rule, used by every app (audit events, the access log, the
session list, rate limits, security notices).

The client IP is django-allauth's own resolution (``ALLAUTH_TRUSTED_PROXY_COUNT``, set from
``VIDEOCALL_PROXY_COUNT``), so allauth's rate limits, its session list and our code all see the same
address: with no trusted proxy it is ``REMOTE_ADDR``; behind N trusted proxies it is the N-th address
from the right of ``X-Forwarded-For`` (the client as our outermost proxy saw it; anything further left
was written by the client and is not trusted).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

USER_AGENT_MAX = 512  # ua-parser's regexes on longer strings are slow; nothing useful comes after
LABEL_MAX = 64


def client_ip(request: Any) -> str:
    """The caller's IP address (normalised), or "" when there is none.

    An ``X-Forwarded-For`` shorter than the configured proxy count (a request that did not come through
    our proxies) falls back to the connection's address instead of failing the request.
    """
    if request is None:
        return ""
    from allauth.account.adapter import DefaultAccountAdapter

    try:
        return DefaultAccountAdapter(request).get_client_ip(request)
    except ImproperlyConfigured:
        from allauth.core.internal.httpkit import clean_client_ip

        return clean_client_ip(str(request.META.get("REMOTE_ADDR", ""))) or ""
    except PermissionDenied:
        return ""


def country_of(ip: str) -> str:
    """ISO 3166 country code of an IP address (iptocc: public registry data shipped in the wheel, no
    network); "" for private, reserved, unknown or malformed addresses. Not cached: a lookup takes
    under a microsecond, and a cache would keep callers' addresses in memory beyond their retention."""
    if not ip:
        return ""
    import iptocc

    try:
        return str(iptocc.country_code(ip) or "")[:2].upper()
    except (ValueError, TypeError):
        return ""


def request_country(request: Any) -> str:
    """The country of the caller (for audit events and security notices; the IP itself is not kept)."""
    return country_of(client_ip(request))


@lru_cache(maxsize=4096)
def device_label(user_agent: str) -> tuple[str, str]:
    """``("Firefox 128", "Ubuntu")``: family and major version of browser and operating system, parsed
    with ua-parser; nothing more of the user agent is kept or shown."""
    if not user_agent:
        return "", ""
    from ua_parser import parse_os, parse_user_agent

    text = user_agent[:USER_AGENT_MAX]
    agent = parse_user_agent(text)
    system = parse_os(text)
    browser = " ".join(p for p in (agent.family, agent.major) if p) if agent else ""
    os_name = " ".join(p for p in (system.family, system.major) if p) if system else ""
    return browser[:LABEL_MAX], os_name[:LABEL_MAX]


def request_device_label(request: Any) -> str:
    """``"Firefox 128 on Ubuntu"`` for the caller's user agent ("" when it says nothing)."""
    if request is None:
        return ""
    browser, os_name = device_label(str(request.META.get("HTTP_USER_AGENT", "")))
    return " on ".join(p for p in (browser, os_name) if p)
