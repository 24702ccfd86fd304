"""Real servers on loopback for the notification tests: an SMTP server (aiosmtpd) and push stand-ins
(FCM HTTP v1 and APNs, with the settings that point the push clients at them)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.notifications.pushservers import APNsStandIn, FCMStandIn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SMTPRecorder:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture
def smtp_server() -> Iterator[tuple[SMTPRecorder, int]]:
    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings: Any, smtp_server: tuple[SMTPRecorder, int]) -> SMTPRecorder:
    """Django sends through the loopback SMTP server, configured the way EMAIL_URL configures it."""
    import dj_email_url

    recorder, port = smtp_server
    parsed = dj_email_url.parse(f"smtp://127.0.0.1:{port}")
    settings.EMAIL_BACKEND = parsed["EMAIL_BACKEND"]
    settings.EMAIL_HOST = parsed["EMAIL_HOST"]
    settings.EMAIL_PORT = parsed["EMAIL_PORT"]
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = "https://videocall.example"
    return recorder


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return (
        text.get_content() if text is not None else "",  # type: ignore[attr-defined]
        html.get_content() if html is not None else "",  # type: ignore[attr-defined]
    )


@pytest.fixture
def push_servers(settings, tmp_path):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with FCMStandIn() as fcm, APNsStandIn() as apns:
        credentials = tmp_path / "fcm.json"
        credentials.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "client_email": "push@project.iam.example",
                    "private_key_id": "kid1",
                    "private_key": rsa_key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    ).decode(),
                    "token_uri": f"{fcm.url}/token",
                }
            )
        )
        apns_key = tmp_path / "apns.p8"
        apns_key.write_bytes(
            ec_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        settings.PUSH_FCM_PROJECT_ID = "proj-1"
        settings.PUSH_FCM_CREDENTIALS_FILE = str(credentials)
        settings.PUSH_FCM_ENDPOINT = fcm.url
        settings.PUSH_APNS_KEY_FILE = str(apns_key)
        settings.PUSH_APNS_KEY_ID = "APNSKEY1"
        settings.PUSH_APNS_TEAM_ID = "TEAM123"
        settings.PUSH_APNS_TOPIC = "network.videocall.app"
        settings.PUSH_APNS_ENDPOINT = apns.url
        yield fcm, apns, rsa_key.public_key(), ec_key.public_key()
