"""What buyers may see: published listings, filtered by product, material, district, artisan and price."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Artisan, Listing
from marketplace import builder

PUBLIC = ("published", "sold_out")  # a sold-out page stays up (shared links keep working), marked as sold out


def _matches(value, wanted: str | None) -> bool:
    """A {"hi", "en"} value (or plain string) matches a filter in either language, ignoring case."""
    if not wanted:
        return True
    pair = builder.pair(value)
    wanted = wanted.strip().lower()
    return any(side and side.strip().lower() == wanted for side in pair.values())


def published(session: Session, *, artisan: int | None = None, product: str | None = None,
              material: str | None = None, district: str | None = None, min_price: float | None = None,
              max_price: float | None = None, statuses=("published",)) -> list[Listing]:
    """Listings in `statuses`, newest first, filtered. Text filters match Hindi or English names."""
    query = (select(Listing, Artisan).join(Artisan, Artisan.id == Listing.artisan_id)
             .where(Listing.status.in_(statuses), Artisan.deleted_at.is_(None))
             .order_by(Listing.published_at.desc(), Listing.id.desc()))
    if artisan is not None:
        query = query.where(Listing.artisan_id == artisan)
    if min_price is not None:
        query = query.where(Listing.price_amount >= min_price)
    if max_price is not None:
        query = query.where(Listing.price_amount <= max_price)
    found = []
    for listing, owner in session.execute(query):
        fields = listing.fields or {}
        if _matches(fields.get("product"), product) and _matches(fields.get("material"), material) \
                and _matches(builder.district(owner.district), district):
            found.append(listing)
    return found


def in_stock(listing: Listing) -> bool:
    return listing.status == "published" and (listing.quantity is None or listing.quantity > 0)


def facets(session: Session) -> dict:
    """The products, materials and districts on sale now, for the catalogue's filter menus."""
    out: dict[str, dict] = {"product": {}, "material": {}, "district": {}}
    for listing, owner in session.execute(select(Listing, Artisan).join(Artisan, Artisan.id == Listing.artisan_id)
                                          .where(Listing.status == "published", Artisan.deleted_at.is_(None))):
        fields = listing.fields or {}
        for name, value in (("product", fields.get("product")), ("material", fields.get("material")),
                            ("district", builder.district(owner.district))):
            pair = builder.pair(value)
            key = pair["en"] or pair["hi"]
            if key:
                out[name][key.lower()] = pair
    return {name: sorted(values.values(), key=lambda p: (p["en"] or p["hi"] or "")) for name, values in out.items()}
