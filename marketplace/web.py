"""Public web surface of the marketplace: media files (the storefront and API grow here)."""
from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, current_app

bp = Blueprint("marketplace", __name__)


@bp.get("/media/<path:key>")
def media(key: str):
    """A stored derivative (photos are stripped of metadata before they are stored); raw uploads are never served."""
    if key.startswith("incoming/"):
        abort(404)
    store = current_app.extensions["hunar"].media_store
    try:
        data = store.get(key)
    except Exception:
        abort(404)
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    resp = Response(data, content_type=content_type)
    resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # names are content hashes
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
