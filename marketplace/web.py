"""Public web surface of the marketplace: media files and feeds; the storefront and the JSON API nest here."""
from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, current_app

from marketplace import api, feedfiles, freshness, storefront

bp = Blueprint("marketplace", __name__)
bp.register_blueprint(storefront.bp)
bp.register_blueprint(api.bp)


@bp.record_once
def _watch(state) -> None:
    """Cached pages and stored feeds follow listing changes (marketplace/freshness.py)."""
    freshness.watch(state.app.extensions["hunar"])


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


@bp.get("/feeds/meta.csv")
def meta_feed():
    """The Meta (Facebook, Instagram, WhatsApp) catalog feed."""
    return feedfiles.send(current_app.extensions["hunar"], "meta.csv")


@bp.get("/feeds/google.xml")
def google_feed():
    """The Google Merchant Center feed (RSS 2.0)."""
    return feedfiles.send(current_app.extensions["hunar"], "google.xml")
