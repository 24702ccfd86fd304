"""Push through FCM HTTP v1 and APNs (HTTP/2) stand-ins on loopback; invalid tokens pruned; consent-gated."""

from __future__ import annotations

import json

import jwt
import pytest

from videocall.accounts.models import Device
from videocall.notifications.models import NotificationPreference
from videocall.notifications.push import APNsClient, PushMessage, PushTransientError
from videocall.notifications.services import notify
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.services import consent_set

pytestmark = pytest.mark.django_db


def _devices(user):
    return {
        name: Device.objects.create(user=user, platform=platform, push_token=token, push_provider=provider)
        for name, platform, token, provider in [
            ("fcm_ok", "android", "fcm-token-1", "fcm"),
            ("fcm_gone", "android", "gone-fcm-2", "fcm"),
            ("apns_ok", "ios", "a1b2c3", "apns"),
            ("apns_gone", "ios", "gone-apns", "apns"),
            ("apns_bad", "ios", "bad-apns", "apns"),
            ("no_token", "web", "", ""),
        ]
    }


def test_push_delivered_and_invalid_tokens_pruned(push_servers, member, django_capture_on_commit_callbacks):
    fcm, apns, rsa_public, ec_public = push_servers
    devices = _devices(member)
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.PUSH_NOTIFICATIONS, granted=True, channel="app"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            user=member, kind="security.new_device", title="New sign-in", body="secret body", url="/account/"
        )

    sends = [r for r in fcm.recorded.requests if r["path"] != "/token"]
    assert {r["body"]["message"]["token"] for r in sends} == {"fcm-token-1", "gone-fcm-2"}
    assert sends[0]["path"] == "/v1/projects/proj-1/messages:send"
    message = sends[0]["body"]["message"]
    assert message["notification"]["title"] == "New sign-in"
    assert "secret body" not in json.dumps(message)  # only the title leaves for Google/Apple
    assert message["data"] == {"url": "/account/", "notification_id": str(notification.pk)}
    [token_request] = [r for r in fcm.recorded.requests if r["path"] == "/token"]
    assertion = jwt.decode(
        token_request["form"]["assertion"][0], rsa_public, algorithms=["RS256"], audience=f"{fcm.url}/token"
    )
    assert assertion["iss"] == "push@project.iam.example" and "firebase.messaging" in assertion["scope"]

    assert {r["token"] for r in apns.recorded.requests} == {"a1b2c3", "gone-apns", "bad-apns"}
    headers = apns.recorded.requests[0]["headers"]
    assert headers["apns-topic"] == "network.videocall.app" and headers["apns-push-type"] == "alert"
    provider_token = headers["authorization"].removeprefix("bearer ")
    assert jwt.get_unverified_header(provider_token)["kid"] == "APNSKEY1"
    assert jwt.decode(provider_token, ec_public, algorithms=["ES256"])["iss"] == "TEAM123"

    for name, device in devices.items():
        device.refresh_from_db()
        expected = name in {"fcm_ok", "apns_ok"}
        assert bool(device.push_token) is expected, name


def test_no_push_without_consent_or_against_preference(
    push_servers, member, django_capture_on_commit_callbacks
):
    fcm, apns, *_ = push_servers
    _devices(member)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind="security.new_device", title="Hello")
    assert fcm.recorded.requests == [] and apns.recorded.requests == []
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.PUSH_NOTIFICATIONS, granted=True, channel="app"
    )
    NotificationPreference.objects.create(user=member, topic="support_update", by_email=True, by_push=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind="support_reply", title="Support replied")
    assert fcm.recorded.requests == [] and apns.recorded.requests == []


def test_push_is_off_unless_configured(settings, member, django_capture_on_commit_callbacks):
    settings.PUSH_FCM_PROJECT_ID = None
    settings.PUSH_APNS_KEY_FILE = None
    _devices(member)
    consent_set(
        actor=member, user=member, purpose=ConsentPurpose.PUSH_NOTIFICATIONS, granted=True, channel="app"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(user=member, kind="security.new_device", title="Hello")
    assert callbacks == []


def test_provider_trouble_is_transient(push_servers, settings):
    _fcm, _apns, *_ = push_servers
    from videocall.notifications.push import configured_providers

    client = configured_providers()["fcm"]
    with pytest.raises(PushTransientError):
        client.send("busy-token", PushMessage(title="x"))
    from tests.notifications.conftest import free_port

    closed = APNsClient(
        key_file=settings.PUSH_APNS_KEY_FILE,
        key_id="K",
        team_id="T",
        topic="t",
        endpoint=f"http://127.0.0.1:{free_port()}",
    )
    with pytest.raises(PushTransientError):
        closed.send("a1b2c3", PushMessage(title="x"))
