from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone


@pytest.fixture(scope="session")
def rsa_key() -> tuple[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return pem, key.public_key()


@pytest.fixture
def self_hosted(settings: Any) -> Any:
    settings.JITSI_MODE = "self-hosted"
    settings.JITSI_DOMAIN = "meet.example.org"
    settings.JITSI_APP_ID = "videocall"
    settings.JITSI_APP_SECRET = "s3cret-for-tests-only-0123456789abcdef"
    settings.JITSI_ALGORITHM = "HS256"
    settings.JITSI_AUDIENCE = "videocall-aud"
    settings.JITSI_SUBJECT = None
    settings.JITSI_TOKEN_TTL_SECONDS = 300
    settings.JITSI_SCRIPT_ORIGIN = None
    return settings


@pytest.fixture
def owner(make_user: Any) -> Any:
    return make_user("owner@example.org", first_name="Olga", last_name="Owner")


@pytest.fixture
def make_meeting(owner: Any) -> Any:
    from videocall.meetings.services import Schedule, meeting_create

    def factory(actor: Any = None, **options: Any) -> Any:
        start = timezone.now() + timedelta(hours=1)
        schedule = Schedule(
            title=options.pop("title", "Weekly sync"),
            description=options.pop("description", "Agenda: numbers"),
            starts_at=options.pop("starts_at", start),
            ends_at=options.pop("ends_at", start + timedelta(hours=1)),
            timezone=options.pop("timezone", "Europe/Berlin"),
            **options,
        )
        return meeting_create(actor=actor or owner, schedule=schedule)

    return factory
