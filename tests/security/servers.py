"""Helpers for tests that run a real `videocall serve`: a free loopback port, the environment of a fresh
embedded-default server, and a self-signed certificate valid for a chosen number of days."""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(var_dir: Path) -> dict[str, str]:
    """This environment without our settings, so the server starts on its embedded default in ``var_dir``."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("VIDEOCALL_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return {**kept, "VIDEOCALL_VAR_DIR": str(var_dir)}


def self_signed(directory: Path, *, days: float = 1, age_days: float = 0) -> tuple[Path, Path]:
    """A certificate for localhost valid ``days`` from now (issued ``age_days`` ago) and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=age_days, minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path
