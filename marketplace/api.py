"""The public JSON API (DESIGN.md): published listings, filterable by artisan, product, material, district."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from db.models import Listing
from marketplace import catalog
from marketplace.serialize import listing_json

bp = Blueprint("api", __name__)
MAX_LIMIT = 100


def _services():
    return current_app.extensions["hunar"]


def _json(session, listing: Listing) -> dict:
    services = _services()
    return listing_json(session, listing, services.media_store, base_url=services.settings["PUBLIC_BASE_URL"])


@bp.get("/api/listings")
def listings():
    """Published listings, newest first: ?artisan=ID&product=&material=&district=&limit=&offset=."""
    try:
        artisan = int(request.args["artisan"]) if request.args.get("artisan") else None
        limit = min(int(request.args.get("limit", 50)), MAX_LIMIT)
        offset = max(int(request.args.get("offset", 0)), 0)
    except ValueError:
        abort(400, "artisan, limit and offset are whole numbers")
    with _services().db.session() as session:
        found = catalog.published(session, artisan=artisan, product=request.args.get("product"),
                                  material=request.args.get("material"), district=request.args.get("district"))
        page = [_json(session, listing) for listing in found[offset:offset + max(limit, 0)]]
    resp = jsonify(listings=page, total=len(found), limit=limit, offset=offset)
    resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


@bp.get("/api/listings/<int:listing_id>")
def listing(listing_id: int):
    """One listing, while it is public (published or sold out)."""
    with _services().db.session() as session:
        found = session.get(Listing, listing_id)
        if found is None or found.status not in catalog.PUBLIC:
            abort(404, "no such listing")
        return jsonify(_json(session, found))
