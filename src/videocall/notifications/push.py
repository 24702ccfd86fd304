"""Push delivery through FCM HTTP v1 and APNs (HTTP/2 provider API), on httpx (see decision 0009).

Each provider is off unless configured (``PUSH_FCM_*`` / ``PUSH_APNS_*``). A send returns one
:class:`PushResult`; a token the provider reports as invalid (FCM ``UNREGISTERED`` / 404, APNs 410 or
400 ``BadDeviceToken``) is pruned by the caller. Transient failures (network, 429, 5xx) raise
:class:`PushTransientError` so the task retries with backoff. Tokens and payloads are never logged.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from django.conf import settings

FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class PushTransientError(OSError):
    """The provider could not be reached or asked us to come back later."""


@dataclass(frozen=True)
class PushMessage:
    title: str
    body: str = ""
    url: str = ""
    notification_id: int | None = None


@dataclass(frozen=True)
class PushResult:
    ok: bool
    invalid_token: bool = False
    status: int = 0
    reason: str = ""


def _raise_transient(status: int) -> None:
    if status == 429 or status >= 500:
        raise PushTransientError(f"push provider answered {status}")


class FCMClient:
    """Firebase Cloud Messaging HTTP v1 with a service-account OAuth 2.0 token (JWT bearer grant)."""

    def __init__(self, *, project_id: str, credentials_file: str, endpoint: str) -> None:
        self.project_id = project_id
        self.credentials = json.loads(Path(credentials_file).read_text(encoding="utf-8"))
        self.endpoint = endpoint.rstrip("/")
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def _access_token(self, client: httpx.Client) -> str:
        with self._lock:
            if self._token and self._token[1] > time.time() + 60:
                return self._token[0]
            now = int(time.time())
            token_uri = self.credentials.get("token_uri", "https://oauth2.googleapis.com/token")
            assertion = jwt.encode(
                {
                    "iss": self.credentials["client_email"],
                    "scope": FCM_SCOPE,
                    "aud": token_uri,
                    "iat": now,
                    "exp": now + 3600,
                },
                self.credentials["private_key"],
                algorithm="RS256",
                headers={"kid": self.credentials.get("private_key_id", "")},
            )
            try:
                response = client.post(
                    token_uri,
                    data={
                        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "assertion": assertion,
                    },
                )
            except httpx.HTTPError as exc:
                raise PushTransientError("token endpoint unreachable") from exc
            _raise_transient(response.status_code)
            if response.status_code != 200:
                raise PushTransientError(f"token endpoint answered {response.status_code}")
            data = response.json()
            self._token = (str(data["access_token"]), time.time() + int(data.get("expires_in", 3600)))
            return self._token[0]

    def send(self, token: str, message: PushMessage) -> PushResult:
        data = {"url": message.url}
        if message.notification_id is not None:
            data["notification_id"] = str(message.notification_id)
        body = {
            "message": {
                "token": token,
                "notification": {"title": message.title, "body": message.body},
                "data": data,
            }
        }
        with httpx.Client(timeout=TIMEOUT) as client:
            access = self._access_token(client)
            try:
                response = client.post(
                    f"{self.endpoint}/v1/projects/{self.project_id}/messages:send",
                    json=body,
                    headers={"Authorization": f"Bearer {access}"},
                )
            except httpx.HTTPError as exc:
                raise PushTransientError("FCM unreachable") from exc
        if response.status_code == 200:
            return PushResult(ok=True, status=200)
        if response.status_code == 401:
            self._token = None
        _raise_transient(response.status_code)
        reason = _fcm_error_code(response)
        invalid = response.status_code == 404 or reason in {"UNREGISTERED", "INVALID_ARGUMENT"}
        return PushResult(ok=False, invalid_token=invalid, status=response.status_code, reason=reason)


def _fcm_error_code(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return ""
    for detail in error.get("details", []) or []:
        if detail.get("errorCode"):
            return str(detail["errorCode"])
    return str(error.get("status", ""))


class APNsClient:
    """Apple Push Notification service provider API over HTTP/2 with a token (ES256 JWT) credential."""

    def __init__(self, *, key_file: str, key_id: str, team_id: str, topic: str, endpoint: str) -> None:
        self.key = Path(key_file).read_text(encoding="utf-8")
        self.key_id = key_id
        self.team_id = team_id
        self.topic = topic
        self.endpoint = endpoint.rstrip("/")
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def _provider_token(self) -> str:
        # Apple refuses tokens older than an hour and throttles refreshes more often than every 20 min.
        with self._lock:
            if self._token and self._token[1] > time.time() - 40 * 60:
                return self._token[0]
            issued = time.time()
            token = jwt.encode(
                {"iss": self.team_id, "iat": int(issued)},
                self.key,
                algorithm="ES256",
                headers={"kid": self.key_id},
            )
            self._token = (token, issued)
            return token

    def _client(self) -> httpx.Client:
        # https: HTTP/2 negotiated by ALPN. http (a stand-in on loopback): HTTP/2 with prior knowledge.
        if self.endpoint.startswith("http://"):
            return httpx.Client(http1=False, http2=True, timeout=TIMEOUT)
        return httpx.Client(http2=True, timeout=TIMEOUT)

    def send(self, token: str, message: PushMessage) -> PushResult:
        payload: dict[str, Any] = {"aps": {"alert": {"title": message.title, "body": message.body}}}
        payload["url"] = message.url
        if message.notification_id is not None:
            payload["notification_id"] = message.notification_id
        headers = {
            "authorization": f"bearer {self._provider_token()}",
            "apns-topic": self.topic,
            "apns-push-type": "alert",
            "apns-priority": "10",
        }
        try:
            with self._client() as client:
                response = client.post(f"{self.endpoint}/3/device/{token}", json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise PushTransientError("APNs unreachable") from exc
        if response.status_code == 200:
            return PushResult(ok=True, status=200)
        _raise_transient(response.status_code)
        try:
            reason = str(response.json().get("reason", ""))
        except ValueError:
            reason = ""
        invalid = response.status_code == 410 or reason in {
            "BadDeviceToken",
            "Unregistered",
            "DeviceTokenNotForTopic",
        }
        return PushResult(ok=False, invalid_token=invalid, status=response.status_code, reason=reason)


def configured_providers() -> dict[str, FCMClient | APNsClient]:
    """The providers whose settings are complete, keyed ``fcm`` / ``apns``."""
    providers: dict[str, FCMClient | APNsClient] = {}
    if settings.PUSH_FCM_PROJECT_ID and settings.PUSH_FCM_CREDENTIALS_FILE:
        providers["fcm"] = _client(
            FCMClient,
            project_id=settings.PUSH_FCM_PROJECT_ID,
            credentials_file=settings.PUSH_FCM_CREDENTIALS_FILE,
            endpoint=settings.PUSH_FCM_ENDPOINT or "https://fcm.googleapis.com",
        )
    if (
        settings.PUSH_APNS_KEY_FILE
        and settings.PUSH_APNS_KEY_ID
        and settings.PUSH_APNS_TEAM_ID
        and settings.PUSH_APNS_TOPIC
    ):
        providers["apns"] = _client(
            APNsClient,
            key_file=settings.PUSH_APNS_KEY_FILE,
            key_id=settings.PUSH_APNS_KEY_ID,
            team_id=settings.PUSH_APNS_TEAM_ID,
            topic=settings.PUSH_APNS_TOPIC,
            endpoint=settings.PUSH_APNS_ENDPOINT or "https://api.push.apple.com",
        )
    return providers


_clients: dict[tuple[Any, ...], Any] = {}


def _client(client_class: Any, **options: Any) -> Any:
    """One client per provider and settings (it keeps its access token between sends); changed
    settings make a new one."""
    key = (client_class, *sorted(options.items()))
    if key not in _clients:
        _clients[key] = client_class(**options)
    return _clients[key]
