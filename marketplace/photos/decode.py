"""Safe decoding: sniff the real format, cap bytes and pixels, refuse animations, then orient and reduce."""
from __future__ import annotations

import io
import math
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageCms, UnidentifiedImageError

from .derive import shrink

ACCEPTED = ("JPEG", "PNG", "WEBP", "HEIF")
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_ORIENTATION, _MAKE, _MODEL = 0x0112, 0x010F, 0x0110
# Same table as ImageOps.exif_transpose; applied to the reduced image, which is cheaper than the full one.
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error, zlib.error)
_SRGB = ImageCms.createProfile("sRGB")


class DecodeError(Exception):
    """Input we will not store; `reason` is one of the reject reason codes."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """An oriented sRGB image no larger than the main derivative, with facts about the source."""

    image: Image.Image
    width: int  # of the source, after orientation
    height: int
    format: str
    camera_exif: bool  # EXIF names a camera make or model (screenshots and edited files have none)


def sniff(data: bytes) -> str | None:
    """Name the format from magic bytes, whatever the file name or content type claims."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[4:8] == b"ftyp":
        brands = {data[i:i + 4] for i in range(8, min(len(data), 8 + int.from_bytes(data[:4], "big")), 4)}
        if b"avif" in brands or b"avis" in brands:
            return "AVIF"
        return "HEIF" if brands & _HEIF_BRANDS else None
    if data[:2] == b"BM":
        return "BMP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None


@lru_cache(maxsize=1)
def heif_available() -> bool:
    """Register the pillow-heif opener if it is installed (iPhones send HEIC)."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener(thumbnails=False)
    return True


def decode(data: bytes, *, max_bytes: int, max_pixels: int, target: int = 1600) -> Decoded:
    """Decode untrusted bytes to an oriented RGB image whose longest side is at most `target`; raise DecodeError."""
    if not data:
        raise DecodeError("not_image", "empty")
    if len(data) > max_bytes:
        raise DecodeError("too_large", f"{len(data)} bytes")
    fmt = sniff(data)
    if fmt is None:
        raise DecodeError("not_image")
    if fmt not in ACCEPTED + ("GIF",) or (fmt == "HEIF" and not heif_available()):
        raise DecodeError("unsupported", fmt)
    try:
        im = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise DecodeError("bomb", str(e)) from None
    except (UnidentifiedImageError, *_BROKEN) as e:
        raise DecodeError("truncated", f"{fmt} header: {e}") from None
    with im:
        w, h = im.size
        if w < 1 or h < 1:
            raise DecodeError("not_image", "no pixels")
        if w * h > max_pixels:  # checked before any pixel is decoded
            raise DecodeError("bomb", f"{w}x{h}")
        if getattr(im, "n_frames", 1) > 1 or getattr(im, "is_animated", False):
            raise DecodeError("animated", fmt)
        if fmt == "GIF":
            raise DecodeError("unsupported", "GIF")
        orientation, camera = _exif_facts(im)
        icc = im.info.get("icc_profile")
        if fmt == "JPEG" and max(w, h) > target:
            # Let libjpeg scale by 1/2, 1/4 or 1/8 while decoding, never below the main derivative's size.
            scale = target / max(w, h)
            im.draft("RGB", (math.ceil(w * scale), math.ceil(h * scale)))
        try:
            im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise DecodeError("bomb", str(e)) from None
        except (MemoryError, *_BROKEN) as e:
            raise DecodeError("truncated", str(e)) from None
        try:
            image = shrink(_to_rgb(im, icc), target)
            if icc and im.mode != "CMYK":
                image = _to_srgb(image, icc)
        except (MemoryError, *_BROKEN) as e:
            raise DecodeError("truncated", str(e)) from None
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
        if orientation >= 5:
            w, h = h, w
    image.info = {}  # nothing of the source's metadata travels further
    return Decoded(image, w, h, fmt, camera)


def _exif_facts(im: Image.Image) -> tuple[int, bool]:
    try:
        exif = im.getexif()
        orientation = int(exif.get(_ORIENTATION, 1))
        return orientation, bool(exif.get(_MAKE) or exif.get(_MODEL))
    except Exception:  # a broken EXIF block must not sink an otherwise good photo
        return 1, False


def _to_rgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten any mode to RGB; transparency goes onto white, the usual product-photo background."""
    mode = im.mode
    if mode == "RGB":
        return im
    if mode in ("RGBA", "LA", "PA", "La", "RGBa") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if mode == "CMYK":
        transform = _transform(icc, "CMYK") if icc else None
        return ImageCms.applyTransform(im, transform) if transform else im.convert("RGB")
    if mode.startswith("I;16") or mode in ("I", "F"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L").convert("RGB")
    return im.convert("RGB")


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    transform = _transform(icc, "RGB")
    return ImageCms.applyTransform(im, transform) if transform else im


@lru_cache(maxsize=16)
def _transform(icc: bytes, mode: str):
    """A cached transform from an embedded profile to sRGB, or None if already sRGB or unreadable."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if mode == "RGB" and "srgb" in ImageCms.getProfileDescription(profile).lower():
            return None
        return ImageCms.buildTransform(profile, _SRGB, mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
