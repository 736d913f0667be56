"""The one listing JSON: the public API (/api/listings), the simulator's side panel and the feeds all derive
from it, so a listing reads the same everywhere. It carries no phone number."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Artisan, Listing, Photo
from marketplace import builder
from marketplace.listings import photos_of, profile


def _pair(value) -> dict:
    """A lexicon value as {"hi", "en"}, whether the draft kept a dict or a bare string."""
    if isinstance(value, dict):
        return {"hi": value.get("hi") or value.get("value"), "en": value.get("en") or value.get("value_en")}
    return {"hi": value, "en": None} if value else {"hi": None, "en": None}


def listing_json(session: Session, listing: Listing, media_store, *, base_url: str = "",
                 photos: list[Photo] | None = None) -> dict:
    """A listing as the world may see it: no phone numbers, photos as URLs with their sizes.

    `photos`: the listing's, when the caller loaded a page's photos in one query (see listings.photos_by_listing).
    """
    fields = listing.fields or {}
    artisan = session.get(Artisan, listing.artisan_id)  # from the session's identity map when already loaded
    photos = photos_of(session, listing.id) if photos is None else photos
    return {
        "id": listing.id,
        "url": f"{base_url.rstrip('/')}/listings/{listing.id}",
        "status": listing.status,
        "title": _both(listing.title),
        "description": _both(listing.description),
        "product": _pair(fields.get("product")),
        "material": _pair(fields.get("material")),
        "colours": _colours(fields),
        "size": _size(fields.get("size")),
        "price": {"amount": listing.price_amount, "currency": "INR", "per": listing.price_per},
        "quantity": listing.quantity,
        "photos": [_image(main, media_store) for main in _mains(photos)],
        "artisan": _artisan(artisan),
    }


def _colours(fields: dict) -> list[dict]:
    return [_pair(c) for c in fields.get("colours") or fields.get("colour") or []]


def _both(texts: dict | None) -> dict:
    """A title or description in both languages (None for a missing one)."""
    return {"hi": (texts or {}).get("hi"), "en": (texts or {}).get("en")}


def _size(size) -> dict | None:
    if isinstance(size, dict) and size.get("kind") == "shoe":  # a jutti's shoe sizes: {kind, system, values}
        return {"kind": "shoe", "system": size.get("system"), "values": list(size.get("values") or ())}
    return {"length": size.get("length"), "width": size.get("width"), "unit": size.get("unit")} \
        if isinstance(size, dict) else None


def _mains(photos: list[Photo]) -> list[dict]:
    """Each photo's main derivative (the full-size one), for photos that have it."""
    return [main for main in ((photo.files or {}).get("main") for photo in photos) if main]


def _image(main: dict, media_store) -> dict:
    return {"url": media_store.url(main["key"]), "width": main.get("width"), "height": main.get("height")}


def _artisan(artisan: Artisan | None) -> dict | None:
    """Who made it, publicly: id, name, district (as the artisan gave it, and in English). Never a phone."""
    if artisan is None or artisan.deleted_at is not None:
        return None
    place = builder.district(artisan.district)
    return {"id": artisan.id, "name": artisan.name, "district": place["hi"] or place["en"],
            "district_en": place["en"]}


def channel_item(session: Session, listing: Listing, media_store, *, base_url: str = "",
                 photos: list[Photo] | None = None) -> dict:
    """The listing JSON plus what channels need: SKU, item specifics, HSN, and the full-size JPEG images."""
    photos = photos_of(session, listing.id) if photos is None else photos
    item = listing_json(session, listing, media_store, base_url=base_url, photos=photos)
    artisan = session.get(Artisan, listing.artisan_id)
    fields = listing.fields or {}
    item["sku"] = listing.sku or builder.sku(listing.id)
    item["specifics"] = builder.specifics(fields, profile(artisan))
    item["hsn"] = builder.hsn(fields)
    item["moq"] = fields.get("moq")  # B2B minimum order, when staff set one
    item["images"] = [_image(main, media_store) for main in _mains(photos)
                      if main.get("content_type", "image/jpeg") == "image/jpeg"]
    return item
