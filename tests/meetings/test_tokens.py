"""Join tokens, verified with the independent reader in jwt_check.py against JITSI.md's rules."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.meetings import jwt_check
from videocall.meetings.jitsi.rooms import is_valid_room_name, new_room_name
from videocall.meetings.jitsi.tokens import JitsiConfig, JitsiConfigurationError, TokenUser, mint_token

ALICE = TokenUser(id="42", name="Alice Example", email="alice@example.org", avatar="", moderator=True)
GUEST = TokenUser(id="guest-abc", name="Gus Guest", moderator=False)


def test_room_names_are_lowercase_unguessable():
    names = {new_room_name() for _ in range(200)}
    assert len(names) == 200
    for name in names:
        assert is_valid_room_name(name) and name == name.lower() and len(name) >= 24


def test_open_mode_mints_no_token(settings):
    settings.JITSI_MODE = "open"
    assert mint_token(room="vc-room", user=ALICE) is None


def test_self_hosted_hs256(self_hosted):
    now = time.time()
    token = mint_token(room="vc-abc-def", user=ALICE, now=now)
    header, claims = jwt_check.verify_hs256(token, self_hosted.JITSI_APP_SECRET)
    assert header["alg"] == "HS256"
    jwt_check.check_common(header, claims, room="vc-abc-def", now=now, ttl=300)
    assert claims["iss"] == "videocall"
    assert claims["aud"] == "videocall-aud"
    assert claims["sub"] == "meet.example.org"
    user = claims["context"]["user"]
    assert user == {
        "id": "42",
        "name": "Alice Example",
        "email": "alice@example.org",
        "avatar": "",
        "moderator": "true",
        "affiliation": "owner",
    }
    assert claims["context"]["features"]["recording"] is True
    with pytest.raises(AssertionError):
        jwt_check.verify_hs256(token, "another-secret")


def test_self_hosted_guest_is_never_moderator(self_hosted):
    token = mint_token(room="vc-x", user=GUEST)
    _header, claims = jwt_check.verify_hs256(token, self_hosted.JITSI_APP_SECRET)
    assert claims["context"]["user"]["moderator"] == "false"
    assert claims["context"]["user"]["affiliation"] == "member"
    assert not any(claims["context"]["features"].values())


def test_self_hosted_rs256_has_kid(self_hosted, rsa_key):
    pem, public = rsa_key
    self_hosted.JITSI_ALGORITHM = "RS256"
    self_hosted.JITSI_PRIVATE_KEY = pem
    self_hosted.JITSI_KEY_ID = "videocall/key-1"
    self_hosted.JITSI_SUBJECT = "*"
    now = time.time()
    token = mint_token(room="vc-room", user=ALICE, now=now)
    header, claims = jwt_check.verify_rs256(token, public)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": "videocall/key-1"}
    jwt_check.check_common(header, claims, room="vc-room", now=now, ttl=300)
    assert claims["sub"] == "*"


def test_jaas_claims(settings, rsa_key):
    pem, public = rsa_key
    settings.JITSI_MODE = "jaas"
    settings.JITSI_DOMAIN = "8x8.vc"
    settings.JITSI_APP_ID = "vpaas-magic-cookie-1234abcd"
    settings.JITSI_KEY_ID = "key42"
    settings.JITSI_PRIVATE_KEY = pem.replace("\n", "\\n")  # as an env var would carry it
    settings.JITSI_SCRIPT_ORIGIN = None
    now = time.time()
    token = mint_token(room="vc-room", user=GUEST, now=now)
    header, claims = jwt_check.verify_rs256(token, public)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"] == "vpaas-magic-cookie-1234abcd/key42"
    assert header["kid"].split("/", 1)[0] == claims["sub"]
    jwt_check.check_common(header, claims, room="vc-room", now=now, ttl=300)
    assert claims["aud"] == "jitsi" and claims["iss"] == "chat"
    assert claims["sub"] == "vpaas-magic-cookie-1234abcd"
    assert claims["context"]["user"]["moderator"] == "false"
    assert set(claims["context"]["features"]) <= {
        "livestreaming",
        "recording",
        "transcription",
        "outbound-call",
        "sip-outbound-call",
    }
    config = JitsiConfig.from_settings()
    assert config.client_room("vc-room") == "vpaas-magic-cookie-1234abcd/vc-room"
    assert config.script_url == "https://8x8.vc/vpaas-magic-cookie-1234abcd/external_api.js"


def test_misconfiguration_is_named(self_hosted):
    self_hosted.JITSI_APP_SECRET = None
    with pytest.raises(JitsiConfigurationError, match="JITSI_APP_SECRET"):
        mint_token(room="vc-room", user=ALICE)


def test_uppercase_room_is_emitted_lowercase(self_hosted: Any):
    token = mint_token(room="VC-Room", user=ALICE)
    _h, claims = jwt_check.verify_hs256(token, self_hosted.JITSI_APP_SECRET)
    assert claims["room"] == "vc-room"
