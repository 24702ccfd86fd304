"""Profile: /api/v1/me, mass assignment, the picture (by content, size, EXIF/GPS stripped, encrypted, IDOR)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from videocall.accounts.models import User
from videocall.audit.models import AuditEvent
from videocall.core.permissions import Role

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (1200, 800), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    gps = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "fixture must carry GPS"
    return data


def test_get_me(member_client, member):
    response = member_client.get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "member@example.org"
    assert body["first_name"] == "Mia" and body["email_verified"] is True
    assert body["roles"] == ["member"]
    assert "password" not in body and "email_index" not in body


def test_get_me_needs_authentication(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_patch_me_changes_only_profile_fields(member_client, member):
    response = member_client.patch(
        "/api/v1/me",
        {
            "first_name": "Maria",
            "timezone": "Europe/Berlin",
            "role": "administrator",
            "roles": ["administrator"],
            "is_staff": True,
            "is_superuser": True,
            "email": "attacker@example.org",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.first_name == "Maria" and member.timezone == "Europe/Berlin"
    assert member.roles == {Role.MEMBER}
    assert not member.is_superuser and not member.is_staff
    assert member.email == "member@example.org"
    event = AuditEvent.objects.get(action="account.profile_updated")
    assert event.metadata == {"fields": ["first_name", "timezone"]}


@pytest.mark.parametrize(
    "payload",
    [{"first_name": ""}, {"first_name": "x" * 151}, {"timezone": "Mars/Olympus"}, {"language": "xx-YY"}],
)
def test_patch_me_rejects_bad_values_with_problem_json(member_client, payload):
    response = member_client.patch("/api/v1/me", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_website_profile_edit(member_client, member):
    response = member_client.post(
        "/account/profile/", {"first_name": "Mila", "last_name": "M", "timezone": "UTC", "language": "en"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.first_name == "Mila"
    bad = member_client.post(
        "/account/profile/",
        {"first_name": "", "last_name": "M", "timezone": "Nowhere/City", "language": "en"},
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_uploaded_jpeg_with_gps_comes_back_as_small_webp_without_exif(member_client, member, settings):
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = member_client.post("/api/v1/me/picture", {"picture": upload})
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    raw = member.avatar.storage.read_raw(member.avatar.name)
    assert not raw.startswith(b"RIFF") and b"WEBP" not in raw[:64], "stored encrypted"
    served = member_client.get(f"/account/users/{member.pk}/picture/")
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    image = Image.open(io.BytesIO(served.content))
    assert image.format == "WEBP"
    assert max(image.size) <= settings.VIDEOCALL_AVATAR_SIZE
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert b"SpyCam" not in served.content and b"GPS" not in served.content
    assert "exif" not in image.info and "xmp" not in image.info


def test_picture_type_is_checked_by_content(member_client):
    fake = SimpleUploadedFile("cat.png", b"<?php echo 'hi'; ?>" * 10, content_type="image/png")
    response = member_client.post("/api/v1/me/picture", {"picture": fake})
    assert response.status_code == 415
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    response = member_client.post(
        "/api/v1/me/picture",
        {"picture": SimpleUploadedFile("a.jpg", gif.getvalue(), content_type="image/jpeg")},
    )
    assert response.status_code == 415


def test_picture_size_is_limited(member_client, settings):
    settings.VIDEOCALL_UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = member_client.post("/api/v1/me/picture", {"picture": big})
    assert response.status_code == 413


def test_another_user_gets_404_for_my_picture(client, make_user):
    owner = make_user("owner@example.org")
    other = make_user("other@example.org")
    client.force_login(owner)
    client.post(
        "/account/picture/",
        {"picture": SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")},
    )
    owner.refresh_from_db()
    assert owner.avatar
    client.force_login(other)
    assert client.get(f"/account/users/{owner.pk}/picture/").status_code == 404
    assert client.get(f"/api/v1/users/{owner.pk}/picture").status_code == 404
    # A rule registered by another domain (meetings: co-participants) widens access.
    from videocall.accounts import selectors

    def shares_meeting(viewer, target):
        return viewer.pk == other.pk and target.pk == owner.pk

    selectors.register_avatar_viewer(shares_meeting)
    try:
        assert client.get(f"/account/users/{owner.pk}/picture/").status_code == 200
    finally:
        selectors._avatar_viewer_rules.remove(shares_meeting)
    client.logout()
    response = client.get(f"/account/users/{owner.pk}/picture/")
    assert response.status_code == 302


def test_remove_picture(member_client, member):
    member_client.post(
        "/account/picture/",
        {"picture": SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")},
    )
    member.refresh_from_db()
    assert member.avatar
    response = member_client.post("/account/picture/remove/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar
    assert member_client.get(f"/account/users/{member.pk}/picture/").status_code == 404
    assert User.objects.get(pk=member.pk).avatar.name == ""


def test_out_of_range_ids_are_404_not_500(member_client):
    huge = 2**70
    assert member_client.get(f"/account/users/{huge}/picture/").status_code == 404
    assert member_client.get(f"/api/v1/users/{huge}/picture").status_code == 404
    assert (
        member_client.post(f"/api/v1/me/sessions/{huge}/revoke", content_type="application/json").status_code
        == 404
    )
    assert member_client.post(f"/account/sessions/{huge}/revoke/").status_code == 404


def test_meeting_token_avatar_is_a_signed_link_that_works_without_cookies(client, make_user, settings):
    """Jitsi loads pictures from its own site, where our session cookie is not sent."""
    from django.core.files.base import ContentFile
    from django.test import Client

    from videocall.accounts.selectors import avatar_link_token
    from videocall.meetings.services.joining import _avatar_url

    owner = make_user("pictured@example.org")
    owner.avatar.save("p.webp", ContentFile(b"RIFF\x00\x00\x00\x00WEBPVP8 picture"), save=True)
    url = _avatar_url(owner)
    assert url.startswith(settings.SITE_URL + "/account/pictures/")
    anonymous = Client()
    response = anonymous.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200 and response.content.endswith(b"picture")
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    # Tampered links, and links to a picture that has since changed, show nothing.
    assert anonymous.get(url.removeprefix(settings.SITE_URL)[:-3] + "xx/").status_code == 404
    old = avatar_link_token(owner)
    owner.avatar.save("q.webp", ContentFile(b"RIFF\x00\x00\x00\x00WEBPVP8 other"), save=True)
    assert anonymous.get(f"/account/pictures/{old}/").status_code == 404
