"""Public web surface of the marketplace: media files and feeds; the storefront and the JSON API nest here."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, send_from_directory

from marketplace import api, feedfiles, freshness, storefront
from marketplace.photos import derive, sniff

bp = Blueprint("marketplace", __name__)
bp.register_blueprint(storefront.bp)
bp.register_blueprint(api.bp)


@bp.record_once
def _watch(state) -> None:
    """Cached pages and stored feeds follow listing changes (marketplace/freshness.py)."""
    freshness.watch(state.app.extensions["hunar"])


@bp.get("/media/<path:key>")
def media(key: str):
    """A photo derivative we made (JPEG or WebP, no metadata); nothing an artisan uploaded is served as it came."""
    if not derive.is_public(key):
        abort(404)
    store = current_app.extensions["hunar"].media_store
    try:
        data = store.get(key)
    except Exception:
        abort(404)
    content_type = derive.CONTENT_TYPES[key.rsplit(".", 1)[1]]
    if sniff(data) != ("JPEG" if content_type == "image/jpeg" else "WEBP"):
        abort(404)  # belt and braces: the bytes must be what the name says
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


@bp.get("/favicon.ico")
def favicon():
    """The site icon browsers ask for on every page (static/favicon.ico), so none of them logs a 404."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400)
