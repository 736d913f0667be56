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


def _starts(*magic: bytes):
    return lambda data: data.startswith(magic)


# Magic bytes, tried in this order; an ISO media file ("ftyp") is told apart by its brands (`_iso_brand`).
_SIGNATURES = (
    ("JPEG", _starts(b"\xff\xd8\xff")),
    ("PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    ("WEBP", lambda data: data[:4] == b"RIFF" and data[8:12] == b"WEBP"),
    ("GIF", _starts(b"GIF87a", b"GIF89a")),
    ("ftyp", lambda data: data[4:8] == b"ftyp"),
    ("BMP", _starts(b"BM")),
    ("TIFF", _starts(b"II*\x00", b"MM\x00*")),
)


def sniff(data: bytes) -> str | None:
    """Name the format from magic bytes, whatever the file name or content type claims."""
    found = next((name for name, matches in _SIGNATURES if matches(data)), None)
    return _iso_brand(data) if found == "ftyp" else found


def _iso_brand(data: bytes) -> str | None:
    """AVIF or HEIF from an ISO media file's brands (the box's major and compatible brands), or None."""
    brands = {data[i:i + 4] for i in range(8, min(len(data), 8 + int.from_bytes(data[:4], "big")), 4)}
    if brands & {b"avif", b"avis"}:
        return "AVIF"
    return "HEIF" if brands & _HEIF_BRANDS else None


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
    fmt = _format(data, max_bytes)
    with _open(data, fmt) as im:
        w, h = _check_frame(im, fmt, max_pixels)
        orientation, camera = _exif_facts(im)
        icc = im.info.get("icc_profile")
        _load(im, fmt, target)
        image = _reduce(im, icc, target)
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
        if orientation >= 5:
            w, h = h, w
    image.info = {}  # nothing of the source's metadata travels further
    return Decoded(image, w, h, fmt, camera)


def _format(data: bytes, max_bytes: int) -> str:
    """The format the bytes really are, when it is one we open; DecodeError for empty, too big or other bytes."""
    if not data:
        raise DecodeError("not_image", "empty")
    if len(data) > max_bytes:
        raise DecodeError("too_large", f"{len(data)} bytes")
    fmt = sniff(data)
    if fmt is None:
        raise DecodeError("not_image")
    if not _opened(fmt):
        raise DecodeError("unsupported", fmt)
    return fmt


def _opened(fmt: str) -> bool:
    """Formats we open: the accepted ones, and GIF only to tell an animation from a still (both refused)."""
    return fmt in ACCEPTED + ("GIF",) and (fmt != "HEIF" or heif_available())


def _open(data: bytes, fmt: str) -> Image.Image:
    """Read the header only (no pixels yet)."""
    try:
        return Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise DecodeError("bomb", str(e)) from None
    except (UnidentifiedImageError, *_BROKEN) as e:
        raise DecodeError("truncated", f"{fmt} header: {e}") from None


def _check_frame(im: Image.Image, fmt: str, max_pixels: int) -> tuple[int, int]:
    """The header's size, refused before any pixel is decoded when it has none, too many, or many frames."""
    w, h = im.size
    if w < 1 or h < 1:
        raise DecodeError("not_image", "no pixels")
    if w * h > max_pixels:
        raise DecodeError("bomb", f"{w}x{h}")
    if _animated(im):
        raise DecodeError("animated", fmt)
    if fmt == "GIF":
        raise DecodeError("unsupported", "GIF")
    return w, h


def _animated(im: Image.Image) -> bool:
    return getattr(im, "n_frames", 1) > 1 or getattr(im, "is_animated", False)


def _load(im: Image.Image, fmt: str, target: int) -> None:
    """Decode the pixels; a big JPEG is scaled by libjpeg while decoding (1/2, 1/4 or 1/8, never below `target`)."""
    w, h = im.size
    if fmt == "JPEG" and max(w, h) > target:
        scale = target / max(w, h)
        im.draft("RGB", (math.ceil(w * scale), math.ceil(h * scale)))
    try:
        im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise DecodeError("bomb", str(e)) from None
    except (MemoryError, *_BROKEN) as e:
        raise DecodeError("truncated", str(e)) from None


def _reduce(im: Image.Image, icc: bytes | None, target: int) -> Image.Image:
    """RGB, at most `target` on the longest side, in sRGB."""
    try:
        image = shrink(_to_rgb(im, icc), target)
        if icc and im.mode != "CMYK":
            image = _to_srgb(image, icc)
    except (MemoryError, *_BROKEN) as e:
        raise DecodeError("truncated", str(e)) from None
    return image


def _exif_facts(im: Image.Image) -> tuple[int, bool]:
    try:
        exif = im.getexif()
        orientation = int(exif.get(_ORIENTATION, 1))
        return orientation, bool(exif.get(_MAKE) or exif.get(_MODEL))
    except Exception:  # a broken EXIF block must not sink an otherwise good photo
        return 1, False


def _to_rgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten any mode to RGB; transparency goes onto white, the usual product-photo background."""
    if im.mode == "RGB":
        return im
    if _transparent(im):
        return _on_white(im)
    if im.mode == "CMYK":
        return _from_cmyk(im, icc)
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L").convert("RGB")  # 16 bits to 8
    return im.convert("RGB")


_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")


def _transparent(im: Image.Image) -> bool:
    return im.mode in _ALPHA_MODES or (im.mode == "P" and "transparency" in im.info)


def _on_white(im: Image.Image) -> Image.Image:
    rgba = im.convert("RGBA")
    flat = Image.new("RGB", im.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _from_cmyk(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Through the embedded CMYK profile when there is a usable one, else Pillow's plain conversion."""
    transform = _transform(icc, "CMYK") if icc else None
    return ImageCms.applyTransform(im, transform) if transform else im.convert("RGB")


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
