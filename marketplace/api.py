"""The public JSON API: published listings (the one listing JSON, marketplace/serialize.py), filterable by
artisan, product, material and district; no phone numbers."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from db.models import Listing
from marketplace import catalog
from marketplace.listings import photos_by_listing
from marketplace.serialize import listing_json

bp = Blueprint("api", __name__)
MAX_LIMIT = 100
MAX_ID = 2**63 - 1  # BIGINT: a larger id would be an error in the database, not a listing
MAX_OFFSET = 10_000_000  # deep offsets cost the database a scan; nothing real is this deep
MAX_FILTER = 80


def _services():
    return current_app.extensions["hunar"]


def _json(session, listing: Listing, photos=None) -> dict:
    services = _services()
    return listing_json(session, listing, services.media_store, base_url=services.settings["PUBLIC_BASE_URL"],
                        photos=photos)


def _whole(name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole-number query argument within [low, high]; anything else is a 400 that says so."""
    raw = request.args.get(name) or None
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, f"{name} is a whole number")
    if not low <= value <= high:
        abort(400, f"{name} is a whole number from {low} to {high}")
    return value


@bp.get("/api/listings")
def listings():
    """Published listings, newest first: ?artisan=ID&product=&material=&district=&limit=&offset=."""
    artisan = _whole("artisan", None, 1, MAX_ID)
    limit = min(_whole("limit", 50, 0, MAX_ID), MAX_LIMIT)
    offset = _whole("offset", 0, 0, MAX_OFFSET)
    with _services().db.session() as session:
        where = dict(artisan=artisan, **_text_filters())
        total = catalog.count(session, **where)
        page = _page(session, catalog.rows(session, limit=limit, offset=offset, **where) if limit else [])
    resp = jsonify(listings=page, total=total, limit=limit, offset=offset)
    resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


def _text_filters() -> dict:
    """?product=, ?material=, ?district= as given (cut to MAX_FILTER); None when not given."""
    return {name: (request.args.get(name) or "")[:MAX_FILTER] or None for name in ("product", "material", "district")}


def _page(session, rows: list) -> list[dict]:
    """The listing JSON of (listing, artisan) rows, their photos loaded in one query."""
    photos = photos_by_listing(session, [listing.id for listing, _ in rows])
    return [_json(session, listing, photos[listing.id]) for listing, _ in rows]


@bp.get("/api/listings/<int:listing_id>")
def listing(listing_id: int):
    """One listing, while it is public (published or sold out)."""
    with _services().db.session() as session:
        found = catalog.public(session, listing_id)
        if found is None:
            abort(404, "no such listing")
        return jsonify(_json(session, found))
