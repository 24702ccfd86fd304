"""The caller's IP behind the configured proxies, its country and the user-agent summary: one rule each
(videocall.core.clients), the same one allauth uses for its rate limits and session list."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings

from videocall.core.clients import (
    client_ip,
    country_of,
    device_label,
    request_country,
    request_device_label,
)

FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _request(remote: str = "10.0.0.2", forwarded: str | None = None, agent: str = "") -> object:
    headers = {"REMOTE_ADDR": remote, "HTTP_USER_AGENT": agent}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    # A client can write any X-Forwarded-For; with no proxy of ours in front it means nothing.
    assert client_ip(_request("81.2.69.160", forwarded="8.8.8.8")) == "81.2.69.160"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "81.2.69.160", "81.2.69.160"),
        (1, "8.8.8.8, 81.2.69.160", "81.2.69.160"),  # the left entry was written by the client
        (2, "8.8.8.8, 81.2.69.160, 10.0.0.9", "81.2.69.160"),
        (1, "2a00:1450:4001:81b::200e", "2a00:1450:4001:81b::200e"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(count, forwarded, expected):
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=count):
        request = _request("10.0.0.2", forwarded=forwarded)
        assert client_ip(request) == expected
        # allauth (rate limits, session list) resolves the very same address.
        assert get_adapter(request).get_client_ip(request) == expected


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_a_forwarded_header_shorter_than_the_proxy_chain_falls_back_to_the_connection():
    assert client_ip(_request("81.2.69.160", forwarded="8.8.8.8")) == "81.2.69.160"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_no_address_at_all_is_empty():
    assert client_ip(_request("")) == ""
    assert client_ip(None) == ""


def test_settings_derive_allauth_proxy_count_from_ours():
    from django.conf import settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.VIDEOCALL_PROXY_COUNT


@pytest.mark.parametrize(
    ("ip", "country"),
    [("8.8.8.8", "US"), ("81.2.69.160", "GB"), ("10.0.0.1", ""), ("::1", ""), ("bogus", ""), ("", "")],
)
def test_country_of(ip, country):
    assert country_of(ip) == country


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_request_country_uses_the_client_behind_the_proxy():
    assert request_country(_request("127.0.0.1", forwarded="81.2.69.160")) == "GB"


def test_device_label_is_family_and_major_version_only():
    assert device_label(FIREFOX) == ("Firefox 128", "Ubuntu")
    assert device_label("") == ("", "")
    browser, os_name = device_label("x" * 10_000)
    assert len(browser) <= 64 and len(os_name) <= 64
    assert request_device_label(_request(agent=FIREFOX)) == "Firefox 128 on Ubuntu"
    assert request_device_label(None) == ""
