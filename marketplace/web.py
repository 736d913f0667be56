"""Public web surface of the marketplace: media files and feeds; the storefront and the JSON API nest here."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from marketplace import api, feeds, storefront
from marketplace.photos import derive, sniff

bp = Blueprint("marketplace", __name__)
bp.register_blueprint(storefront.bp)
bp.register_blueprint(api.bp)
FEED_CACHE = "public, max-age=900"  # catalog crawlers fetch hourly at most


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


def _feed_items() -> tuple[list[dict], str]:
    services = current_app.extensions["hunar"]
    base_url = str(services.settings["PUBLIC_BASE_URL"])
    with services.db.session() as session:
        return feeds.items(session, services.media_store, base_url), base_url


@bp.get("/feeds/meta.csv")
def meta_feed():
    """The Meta (Facebook, Instagram, WhatsApp) catalog feed."""
    items, _ = _feed_items()
    resp = Response(feeds.meta_csv(items), content_type="text/csv; charset=utf-8")
    resp.headers["Cache-Control"] = FEED_CACHE
    return resp


@bp.get("/feeds/google.xml")
def google_feed():
    """The Google Merchant Center feed (RSS 2.0)."""
    items, base_url = _feed_items()
    resp = Response(feeds.google_xml(items, base_url=base_url), content_type="application/rss+xml; charset=utf-8")
    resp.headers["Cache-Control"] = FEED_CACHE
    return resp
