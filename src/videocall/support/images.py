"""Screenshots: validation (the type is read from the content, the size is limited, and the picture is
re-encoded from its pixels so EXIF (GPS, camera, time), XMP and text chunks never reach storage), and
the one response that serves a stored one to the website and the API."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from videocall.core.errors import PayloadTooLarge, UnsupportedMediaType
from videocall.support.errors import SupportError
from videocall.support.models import Attachment

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    width: int
    height: int


def _read_limited(upload: IO[bytes]) -> bytes:
    limit = settings.VIDEOCALL_UPLOAD_MAX_BYTES
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(
            _("A screenshot can be at most %(mb).1f MB.") % {"mb": limit / 1024 / 1024},
            code=SupportError.ATTACHMENT_TOO_LARGE,
        )
    return data


def clean_image(upload: IO[bytes]) -> CleanImage:
    """Return the re-encoded image, or raise 413/415 for a file that is too large or not an image."""
    data = _read_limited(upload)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise UnsupportedMediaType(
                    _("Screenshots must be JPEG, PNG, WebP or GIF images."), code=SupportError.ATTACHMENT_TYPE
                )
            if width * height > MAX_PIXELS:
                raise PayloadTooLarge(
                    _("The picture has too many pixels."), code=SupportError.ATTACHMENT_TOO_LARGE
                )
            probe.load()
            # Apply the EXIF orientation to the pixels, then drop every metadata block by copying
            # only the pixels into a fresh image.
            oriented = ImageOps.exif_transpose(probe) or probe
            keep_alpha = oriented.mode in ("RGBA", "LA") or "transparency" in oriented.info
            mode = "RGBA" if keep_alpha and image_format != "JPEG" else "RGB"
            pixels = oriented.convert(mode)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UnsupportedMediaType(
            _("Screenshots must be JPEG, PNG, WebP or GIF images."), code=SupportError.ATTACHMENT_TYPE
        ) from exc
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=90)
        content_type = "image/jpeg"
    else:
        clean.save(out, format="PNG")
        content_type = "image/png"
    return CleanImage(out.getvalue(), content_type, clean.width, clean.height)


def attachment_response(attachment: Attachment) -> HttpResponse:
    """The bytes of a stored screenshot, shown inline and never cached (the caller checked access)."""
    with attachment.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="{attachment.filename}"'
    response["Cache-Control"] = "no-store"
    return response
