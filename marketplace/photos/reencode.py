"""A picture staff attach to a reply, made safe to send: decoded again, stripped of every metadata, a fresh JPEG."""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from .derive import JPEG_QUALITY, SIZES

LONGEST = SIZES["main"]


class NotAPhoto(ValueError):
    """The bytes are not a picture Pillow can decode (or one too large to decode safely)."""


def reencode_for_sending(data: bytes) -> bytes:
    """The picture as a new JPEG: RGB, longest side at most 1600 px, no EXIF, location or other metadata."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (LONGEST, LONGEST))
            image = image.convert("RGB")
            image.thumbnail((LONGEST, LONGEST))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=JPEG_QUALITY)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise NotAPhoto(str(exc)) from None
    return out.getvalue()
