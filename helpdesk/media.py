"""What artisans sent that is not a photo (voice notes, PDFs, contact cards), served to logged-in staff only.

Such a file is never shown as a page: its type is decided again from its bytes and must be on the allow-list
(else it goes out as opaque bytes), it is always an attachment, and a sandbox CSP with nothing allowed means that
even a browser that rendered it would run no script with our origin's rights.
"""
from __future__ import annotations

from flask import Response, abort, url_for

from bot.filetypes import KEPT, PRIVATE, sniff_type
from helpdesk.web import bp, services

LEGACY = "media/"  # where voice notes and documents were kept before issue 16: still staff-only, still re-checked
SANDBOX = "sandbox; default-src 'none'"


def url(key: str) -> str:
    """The staff-only address of a kept voice note or document."""
    return url_for("helpdesk.media", key=key)


@bp.get("/media/<path:key>")
def media(key: str):
    if not key.startswith((PRIVATE, LEGACY)):
        abort(404)
    try:
        data = services().media_store.get(key)
    except (KeyError, ValueError):
        abort(404)
    content_type = sniff_type(data)
    if content_type not in KEPT:
        content_type = "application/octet-stream"
    name = "hunar-" + key.rsplit("/", 1)[-1][:16] + KEPT.get(content_type, ".bin")
    resp = Response(data, content_type=content_type)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Content-Security-Policy"] = SANDBOX
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return resp
