"""`videocall check --deploy` is clean with production settings; `videocall serve` speaks TLS >= 1.2."""

from __future__ import annotations

import socket
import ssl
import subprocess
import time
import warnings

import pytest

from tests.security.conftest import VIDEOCALL
from tests.security.servers import free_port, self_signed, server_env


def test_check_deploy_is_clean_in_production(production_env):
    result = subprocess.run(
        [VIDEOCALL, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


def test_production_refuses_to_start_without_a_secret(production_env):
    env = {k: v for k, v in production_env.items() if k != "VIDEOCALL_DATA_KEYS"}
    result = subprocess.run([VIDEOCALL, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "VIDEOCALL_DATA_KEYS is required" in result.stderr


def _handshake(port: int, version: ssl.TLSVersion) -> str:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 on purpose
        context.minimum_version = version
        context.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        context.set_ciphers("ALL:@SECLEVEL=0")  # let the client offer the old protocol at all
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        reply = tls.recv(200).decode("latin-1")
        return f"{tls.version()} {reply.splitlines()[0] if reply else ''}"


def test_serve_speaks_tls_12_and_refuses_older(tmp_path):
    cert, key = self_signed(tmp_path)
    port = free_port()
    env = server_env(tmp_path / "var")
    server = subprocess.Popen(
        [
            VIDEOCALL,
            "serve",
            "--no-migrate",
            "--workers",
            "1",
            "--port",
            str(port),
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"server did not start: {output}")
                time.sleep(0.2)
        assert _handshake(port, ssl.TLSVersion.TLSv1_2).startswith("TLSv1.2 HTTP/1.1 200")
        assert _handshake(port, ssl.TLSVersion.TLSv1_3).startswith("TLSv1.3 HTTP/1.1 200")
        for old in (ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1):
            with pytest.raises(ssl.SSLError) as refused:
                _handshake(port, old)
            # The server answered with a protocol_version alert: it was offered the old version and refused.
            assert "PROTOCOL_VERSION" in str(refused.value).upper(), refused.value
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
