"""What a file is, decided from its bytes (never from what the sender declares), and which kinds Hunar keeps."""
from __future__ import annotations

from marketplace.photos import sniff

# Magic numbers of the non-image files artisans send (WhatsApp voice notes are Ogg/Opus).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"OggS", "audio/ogg"),
    (b"#!AMR", "audio/amr"),
    (b"ID3", "audio/mpeg"),
    (b"PK\x03\x04", "application/zip"),
    (b"BEGIN:VCARD", "text/vcard"),
)

# The only non-image media kept: voice notes, PDFs and contact cards, with the extension each is stored under.
# Anything else (HTML, scripts, videos, office files, archives) is counted, answered and never stored, so nothing
# an artisan sends can become a page of ours.
KEPT = {
    "audio/ogg": ".ogg",
    "audio/amr": ".amr",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "application/pdf": ".pdf",
    "text/vcard": ".vcf",
}
PRIVATE = "private/"  # where kept non-image media live: served only to staff, never on the public /media route


def sniff_type(data: bytes, declared: str | None = None) -> str:
    """The type the bytes say they are; images by marketplace's sniffer, a few others by magic numbers."""
    image = sniff(data)
    if image:
        return f"image/{image.lower()}"
    return _by_signature(data, declared) or _by_frame(data) or "application/octet-stream"


def _by_signature(data: bytes, declared: str | None) -> str | None:
    """A file that starts with a known magic number (a vCard may start after a BOM or blank space)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    for magic, kind in SIGNATURES:
        if (head if kind == "text/vcard" else data).startswith(magic):
            if kind == "application/zip" and declared and "officedocument" in declared:
                return declared.split(";")[0].strip()  # DOCX/XLSX/PPTX are zip files
            return kind
    return None


def _by_frame(data: bytes) -> str | None:
    """MP4-family boxes (ftyp) and MPEG audio frames, which carry no magic number at the start."""
    if data[4:8] == b"ftyp":
        return {b"M4A": "audio/mp4", b"M4B": "audio/mp4", b"3gp": "video/3gpp"}.get(data[8:11], "video/mp4")
    if len(data) < 2 or data[0] != 0xFF:
        return None
    if data[1] & 0xF6 == 0xF0:
        return "audio/aac"
    return "audio/mpeg" if data[1] & 0xE0 == 0xE0 else None


def kind_of(content_type: str) -> str:
    """"image", "audio", "video" or "document": what the conversation calls a piece of media."""
    major = content_type.split("/", 1)[0].lower()
    return major if major in ("image", "audio", "video") else "document"


def kept_extension(content_type: str) -> str | None:
    """The stored file's extension for a kept non-image type; None when that type is never kept."""
    return KEPT.get(content_type)
