from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from videocall.accounts.models import Device
from videocall.audit.models import AuditEvent
from videocall.telemetry.selectors import devices_for

pytestmark = pytest.mark.django_db

PHONE = {
    "platform": "android",
    "model": "Pixel 8",
    "os_name": "Android",
    "os_version": "15",
    "app_version": "2.3.1",
    "locale": "de-DE",
    "push_token": "fcm-token-abc",
    "push_provider": "fcm",
}


def _register(client, token, data=None):
    return client.post(
        "/api/v1/telemetry/devices",
        data=data or PHONE,
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )


def test_register_update_list_and_remove_a_device(client, make_user, app_token):
    user = make_user("phone@example.org")
    token = app_token("phone@example.org")
    response = _register(client, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["model"] == "Pixel 8" and body["current"] is True and body["has_push_token"] is True
    assert "push_token" not in body
    device = Device.objects.get(user=user)
    assert device.session_key == token and device.push_token == "fcm-token-abc"

    again = _register(client, token, {**PHONE, "app_version": "2.4.0"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert Device.objects.filter(user=user).count() == 1

    patched = client.patch(
        f"/api/v1/telemetry/devices/{body['id']}",
        data={"os_version": "16"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert patched.status_code == 200 and patched.json()["os_version"] == "16"
    assert patched.json()["app_version"] == "2.4.0"

    listed = client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=token)
    assert [d["id"] for d in listed.json()] == [body["id"]]
    assert AuditEvent.objects.filter(action="telemetry.device_registered").count() == 1


def test_removing_a_device_revokes_its_session_token(
    client, make_user, app_token, django_capture_on_commit_callbacks
):
    make_user("revoke@example.org")
    phone_token = app_token("revoke@example.org")
    laptop_token = app_token("revoke@example.org")
    device_id = _register(client, phone_token).json()["id"]
    assert client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=phone_token).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.delete(f"/api/v1/telemetry/devices/{device_id}", HTTP_X_SESSION_TOKEN=laptop_token)
    assert removed.status_code == 204
    assert not Device.objects.filter(pk=device_id).exists()
    assert client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=phone_token).status_code == 401
    assert client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=laptop_token).status_code == 200
    assert AuditEvent.objects.filter(action="telemetry.device_removed").exists()


def test_another_users_device_is_not_found(client, make_user, app_token):
    make_user("a@example.org")
    make_user("b@example.org")
    a_token = app_token("a@example.org")
    b_token = app_token("b@example.org")
    device_id = _register(client, a_token).json()["id"]
    for method in ("patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/telemetry/devices/{device_id}",
            data={},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=b_token,
        )
        assert response.status_code == 404
        assert response.json()["code"] == "device_not_found"
    assert Device.objects.filter(pk=device_id).exists()
    assert client.get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN=b_token).json() == []


@pytest.mark.parametrize(
    "data, field",
    [
        ({"platform": "windows-phone"}, "platform"),
        ({"model": "x" * 101}, "model"),
        ({"locale": "not a locale!"}, "locale"),
        ({"push_token": "abc"}, "push_provider"),
    ],
)
def test_bad_device_input_is_a_problem_document(client, make_user, app_token, data, field):
    make_user("bad@example.org")
    token = app_token("bad@example.org")
    response = _register(client, token, data)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/telemetry/devices").status_code == 401


def test_devices_page_lists_and_removes_with_the_session(client, member, make_user):
    client.force_login(member)
    own = Device.objects.create(
        user=member, platform="ios", model="iPhone 15", os_name="iOS", os_version="18"
    )
    other_client_session = "x" * 32
    other = Device.objects.create(
        user=member, platform="android", model="Pixel", session_key=other_client_session
    )
    stranger = make_user("stranger@example.org")
    foreign = Device.objects.create(user=stranger, platform="android", model="Foreign phone")
    page = client.get("/telemetry/devices/")
    assert page.status_code == 200
    assert b"iPhone 15" in page.content and b"Foreign phone" not in page.content
    assert client.post(f"/telemetry/devices/{foreign.pk}/remove/").status_code == 404
    response = client.post(f"/telemetry/devices/{other.pk}/remove/")
    assert response.status_code == 302
    assert set(devices_for(member)) == {own}


def test_devices_include_renders_for_the_sessions_page(member):
    Device.objects.create(
        user=member, platform="android", model="Pixel 8", os_name="Android", os_version="15"
    )
    html = render_to_string("telemetry/_devices.html", {"devices": devices_for(member)})
    assert "Pixel 8" in html and "Android 15" in html
    assert "<script" not in html and "style=" not in html


def test_devices_panel_tag_renders_the_signed_in_users_devices(member, rf):
    from django.contrib.sessions.backends.db import SessionStore
    from django.template import engines

    Device.objects.create(user=member, platform="ios", model="iPad Air", os_name="iPadOS", os_version="18")
    request = rf.get("/account/sessions/")
    request.user = member
    request.session = SessionStore()
    html = engines["django"].from_string("{% load telemetry %}{% devices_panel %}").render({}, request)
    assert "iPad Air" in html and "Remove and sign out" in html
