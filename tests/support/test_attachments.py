"""Screenshots: type checked by content, size limited, re-encoded so EXIF/GPS never reach storage."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.conftest import gps_exif, jpeg_with_gps, upload
from videocall.core.errors import PayloadTooLarge, UnsupportedMediaType
from videocall.support.images import clean_image
from videocall.support.models import Attachment

pytestmark = pytest.mark.django_db


def _exif_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return {"exif": image.getexif(), "info": dict(image.info), "format": image.format, "size": image.size}


def test_the_test_image_really_carries_gps():
    original = _exif_of(jpeg_with_gps())
    assert original["exif"].get_ifd(0x8825)[2] == (52.0, 31.0, 12.0)
    assert original["exif"][0x010F] == "SecretCam"


def test_stored_screenshot_has_no_exif_and_is_encrypted(open_ticket):
    open_ticket(files=[upload("holiday.jpg", jpeg_with_gps((80, 60)))])
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert (attachment.width, attachment.height) == (80, 60)
    stored = attachment.file.read()
    cleaned = _exif_of(stored)
    assert cleaned["format"] == "JPEG"
    assert len(cleaned["exif"]) == 0
    assert cleaned["exif"].get_ifd(0x8825) == {}
    assert "exif" not in cleaned["info"]
    assert b"SecretCam" not in stored and b"Exif" not in stored
    raw = attachment.file.storage.read_raw(attachment.file.name)
    assert b"SecretCam" not in raw and not raw.startswith(b"\xff\xd8")
    assert "holiday" not in attachment.file.name


def test_exif_orientation_is_applied_before_stripping():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, format="JPEG", exif=exif.tobytes())
    cleaned = clean_image(io.BytesIO(out.getvalue()))
    assert (cleaned.width, cleaned.height) == (20, 40)
    assert len(_exif_of(cleaned.content)["exif"]) == 0


def test_png_text_chunks_and_webp_metadata_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    meta.add_text("Author", "Jane Secret")
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG", pnginfo=meta, exif=gps_exif())
    cleaned = clean_image(io.BytesIO(out.getvalue()))
    assert cleaned.content_type == "image/png"
    assert b"Jane Secret" not in cleaned.content and b"SecretCam" not in cleaned.content

    webp = io.BytesIO()
    Image.new("RGB", (10, 10), "green").save(webp, format="WEBP", exif=gps_exif())
    cleaned_webp = clean_image(io.BytesIO(webp.getvalue()))
    assert cleaned_webp.content_type == "image/png"
    assert b"SecretCam" not in cleaned_webp.content


def test_type_is_checked_by_content_not_name():
    with pytest.raises(UnsupportedMediaType):
        clean_image(io.BytesIO(b"%PDF-1.7 pretending to be a picture"))
    bmp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(bmp, format="BMP")
    with pytest.raises(UnsupportedMediaType):
        clean_image(io.BytesIO(bmp.getvalue()))


def test_size_is_limited_by_the_upload_setting(settings, member_client):
    settings.VIDEOCALL_UPLOAD_MAX_BYTES = 1000
    big = jpeg_with_gps((400, 400))
    assert len(big) > 1000
    with pytest.raises(PayloadTooLarge):
        clean_image(io.BytesIO(big))
    response = member_client.post(
        "/support/new/",
        {"category": "other", "subject": "Big", "message": "Big file", "screenshots": [upload("b.jpg", big)]},
    )
    assert response.status_code == 200
    assert b"at most" in response.content


def test_api_upload_answers_413_and_415(member_client, open_ticket, member, settings):
    ticket = open_ticket()
    message = ticket.messages.get()
    url = f"/api/v1/support/tickets/{ticket.pk}/messages/{message.pk}/attachments"
    wrong = member_client.post(url, {"file": upload("x.png", b"not an image", "image/png")})
    assert wrong.status_code == 415
    assert wrong.json()["code"] == "attachment_type"
    settings.VIDEOCALL_UPLOAD_MAX_BYTES = 500
    large = member_client.post(url, {"file": upload("y.jpg", jpeg_with_gps((300, 300)))})
    assert large.status_code == 413
    assert not Attachment.objects.exists()


def test_too_many_screenshots_refused(member_client, settings):
    settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS = 1
    response = member_client.post(
        "/support/new/",
        {
            "category": "other",
            "subject": "Two",
            "message": "Two files",
            "screenshots": [upload("a.jpg", jpeg_with_gps()), upload("b.jpg", jpeg_with_gps())],
        },
    )
    assert response.status_code == 200
    assert not Attachment.objects.exists()
