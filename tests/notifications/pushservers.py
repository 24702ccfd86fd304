"""Stand-in push providers on loopback: FCM HTTP v1 (HTTP/1.1, with its OAuth token endpoint) and APNs
(HTTP/2 with prior knowledge, built on the h2 library). They answer like the real services do."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import h2.config
import h2.connection
import h2.events


@dataclass
class Recorded:
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: dict[str, Any]) -> None:
        with self.lock:
            self.requests.append(item)


class FCMStandIn:
    """Tokens starting with ``gone`` are UNREGISTERED (404), ``busy`` get 503, others are accepted."""

    def __init__(self) -> None:
        self.recorded = Recorded()
        recorded = self.recorded

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/token":
                    form = parse_qs(raw.decode())
                    recorded.add({"path": self.path, "form": form})
                    self._json(
                        200, {"access_token": "stand-in-access", "expires_in": 3600, "token_type": "Bearer"}
                    )
                    return
                body = json.loads(raw)
                recorded.add({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                if self.headers.get("Authorization") != "Bearer stand-in-access":
                    self._json(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
                    return
                token = body["message"]["token"]
                if token.startswith("gone"):
                    self._json(
                        404,
                        {
                            "error": {
                                "code": 404,
                                "status": "NOT_FOUND",
                                "details": [
                                    {
                                        "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                        "errorCode": "UNREGISTERED",
                                    }
                                ],
                            }
                        },
                    )
                elif token.startswith("busy"):
                    self._json(503, {"error": {"code": 503, "status": "UNAVAILABLE"}})
                else:
                    self._json(200, {"name": "projects/p/messages/1"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FCMStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


class APNsStandIn:
    """HTTP/2 (h2c, prior knowledge). Tokens starting with ``gone`` get 410 Unregistered, ``bad`` 400
    BadDeviceToken; others 200 with an apns-id."""

    def __init__(self) -> None:
        self.recorded = Recorded()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> APNsStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.running = False
        self.sock.close()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        h2conn = h2.connection.H2Connection(
            config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        h2conn.initiate_connection()
        conn.sendall(h2conn.data_to_send())
        streams: dict[int, dict[str, Any]] = {}
        try:
            while True:
                data = conn.recv(65535)
                if not data:
                    break
                for event in h2conn.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        streams[event.stream_id] = {"headers": dict(event.headers), "body": b""}
                    elif isinstance(event, h2.events.DataReceived):
                        streams[event.stream_id]["body"] += event.data
                        h2conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        self._respond(h2conn, event.stream_id, streams.pop(event.stream_id))
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        conn.sendall(h2conn.data_to_send())
                        return
                conn.sendall(h2conn.data_to_send())
        except OSError:
            pass
        finally:
            conn.close()

    def _respond(self, h2conn: Any, stream_id: int, request: dict[str, Any]) -> None:
        headers = request["headers"]
        token = headers.get(":path", "").rsplit("/", 1)[-1]
        self.recorded.add({"headers": headers, "body": json.loads(request["body"] or b"{}"), "token": token})
        if token.startswith("gone"):
            status, body = 410, {"reason": "Unregistered", "timestamp": 1700000000000}
        elif token.startswith("bad"):
            status, body = 400, {"reason": "BadDeviceToken"}
        else:
            status, body = 200, None
        payload = json.dumps(body).encode() if body else b""
        response_headers = [(":status", str(status)), ("apns-id", "0000-stand-in")]
        if payload:
            response_headers += [("content-type", "application/json"), ("content-length", str(len(payload)))]
        h2conn.send_headers(stream_id, response_headers, end_stream=not payload)
        if payload:
            h2conn.send_data(stream_id, payload, end_stream=True)
