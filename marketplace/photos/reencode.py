"""A picture staff attach to a reply, made safe to send: decoded again, stripped of every metadata, a fresh JPEG,
stored under its content hash for the outbox."""
from __future__ import annotations

import hashlib
import io

from PIL import Image, UnidentifiedImageError

from .derive import JPEG_QUALITY, SIZES
from .store import MediaStore

LONGEST = SIZES["main"]


class NotSendable(ValueError):
    """The upload cannot be sent as a photo: too large, or not a picture Pillow can decode (the message says which,
    for the staff member who chose it)."""


def reencode_for_sending(data: bytes, *, max_bytes: int) -> bytes:
    """The picture as a new JPEG: RGB, longest side at most 1600 px, no EXIF, location or other metadata."""
    if len(data) > max_bytes:
        raise NotSendable("The photo is too large.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (LONGEST, LONGEST))
            image = image.convert("RGB")
            image.thumbnail((LONGEST, LONGEST))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=JPEG_QUALITY)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise NotSendable("That file is not a photo we can send.") from None
    return out.getvalue()


def store_for_sending(store: MediaStore, data: bytes, *, max_bytes: int, prefix: str = "staff/") -> dict:
    """Re-encode the picture and store it; returns its media entry for an outbound message (url, key, type)."""
    clean = reencode_for_sending(data, max_bytes=max_bytes)
    key = store.put(f"{prefix}{hashlib.sha256(clean).hexdigest()}.jpg", clean, "image/jpeg")
    return {"url": store.url(key), "key": key, "content_type": "image/jpeg"}
