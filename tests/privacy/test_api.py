from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.headless.internal.sessionkit import new_session
from django.contrib.auth import SESSION_KEY

from tests.privacy.conftest import reauthenticated
from videocall.privacy.models import DataExport, PolicyNotice

pytestmark = pytest.mark.django_db


def _app_token(user: Any, *, at: float) -> str:
    """An allauth headless app session (what X-Session-Token names), with its authentication records."""
    session = new_session()
    session[SESSION_KEY] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session["account_authentication_methods"] = [{"method": "password", "at": at, "email": user.email}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return str(session.session_key)


def test_policy_current_is_public_and_acknowledge_records(member_client: Any, client: Any) -> None:
    body = client.get("/api/v1/privacy/policy/current").json()
    assert body["number"] == 1 and body["url"] == "/privacy/versions/1/"
    response = member_client.post(
        "/api/v1/privacy/policy/acknowledge", {"number": 1}, content_type="application/json"
    )
    assert response.status_code == 200
    assert PolicyNotice.objects.get().acknowledged_at is not None
    assert member_client.get("/api/v1/privacy/policy/current").json()["acknowledged"] is True
    missing = member_client.post(
        "/api/v1/privacy/policy/acknowledge", {"number": 99}, content_type="application/json"
    )
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_consents_default_off_and_settable(member_client: Any) -> None:
    listed = member_client.get("/api/v1/privacy/consents").json()
    assert {c["purpose"] for c in listed} == {
        "analytics",
        "marketing_email",
        "crash_report_detail",
        "push_notifications",
    }
    assert not any(c["granted"] for c in listed)
    changed = member_client.post(
        "/api/v1/privacy/consents", {"purpose": "analytics", "granted": True}, content_type="application/json"
    ).json()
    assert {c["purpose"]: c["granted"] for c in changed}["analytics"] is True
    bad = member_client.post(
        "/api/v1/privacy/consents", {"purpose": "x", "granted": True}, content_type="application/json"
    )
    assert bad.status_code == 422


def test_export_via_app_token_needs_recent_authentication(member: Any, client: Any) -> None:
    stale = _app_token(member, at=time.time() - 3600)
    response = client.post(
        "/api/v1/privacy/exports",
        {"format": "zip"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=stale,
    )
    assert response.status_code == 401
    assert response.json()["code"] == "reauthentication_required"
    fresh = _app_token(member, at=time.time())
    ok = client.post(
        "/api/v1/privacy/exports",
        {"format": "zip"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=fresh,
    )
    assert ok.status_code == 202
    assert DataExport.objects.filter(user=member).count() == 1
    export_id = ok.json()["id"]
    assert client.get(f"/api/v1/privacy/exports/{export_id}", HTTP_X_SESSION_TOKEN=fresh).status_code == 200


def test_account_delete_api(client: Any, member: Any, django_capture_on_commit_callbacks: Any) -> None:
    reauthenticated(client, member)
    refused = client.post(
        "/api/v1/privacy/account/delete", {"confirm": "yes"}, content_type="application/json"
    )
    assert refused.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/api/v1/privacy/account/delete", {"confirm": "DELETE"}, content_type="application/json"
        )
    assert done.status_code == 200
    member.refresh_from_db()
    assert member.is_deleted
    assert client.get("/api/v1/privacy/consents").status_code == 401


def test_restriction_api_excludes_analytics(member_client: Any, member: Any) -> None:
    from videocall.privacy.consents import ConsentPurpose
    from videocall.privacy.selectors import has_consent

    member_client.post(
        "/api/v1/privacy/consents", {"purpose": "analytics", "granted": True}, content_type="application/json"
    )
    member.refresh_from_db()
    assert has_consent(member, ConsentPurpose.ANALYTICS)
    assert member_client.post(
        "/api/v1/privacy/restriction", {"restricted": True}, content_type="application/json"
    ).json() == {"restricted": True}
    member.refresh_from_db()
    assert not has_consent(member, ConsentPurpose.ANALYTICS)
