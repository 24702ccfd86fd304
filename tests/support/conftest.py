from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from videocall.core.permissions import Role


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agent(make_user: Callable[..., Any]) -> Any:
    return make_user("agent@example.org", roles=[Role.SUPPORT_AGENT], first_name="Ada", last_name="Agent")


@pytest.fixture
def privacy_officer(make_user: Callable[..., Any]) -> Any:
    return make_user("dpo@example.org", roles=[Role.PRIVACY_OFFICER], first_name="Pia", last_name="Privacy")


@pytest.fixture
def administrator(make_user: Callable[..., Any]) -> Any:
    return make_user("admin@example.org", roles=[Role.ADMINISTRATOR], first_name="Al", last_name="Admin")


@pytest.fixture
def other_member(make_user: Callable[..., Any]) -> Any:
    return make_user("other@example.org", first_name="Otto", last_name="Other")


def staff_client(client: Any, user: Any) -> Any:
    """Log a staff member in with an MFA-verified session (staff pages may require MFA)."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": 2e9, "email": user.email},
        {"method": "mfa", "type": "totp", "at": 2e9},
    ]
    session.save()
    return client


@pytest.fixture
def agent_client(agent: Any) -> Any:
    from django.test import Client

    return staff_client(Client(), agent)


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    return exif.tobytes()


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format="JPEG", exif=gps_exif())
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 120, 200, 255)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def open_ticket(member: Any) -> Callable[..., Any]:
    from videocall.support.services import ticket_open

    def factory(
        user: Any = None, *, category: str = "account", subject: str = "Cannot sign in", **kw: Any
    ) -> Any:
        return ticket_open(
            actor=user or member,
            category=category,
            subject=subject,
            message=kw.pop("message", "My password reset email never arrives."),
            **kw,
        )

    return factory
