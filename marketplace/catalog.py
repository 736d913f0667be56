"""What buyers may see: published listings, filtered by product, material, district, artisan and price.

Filters, order and paging all run in SQL, so a page costs the same however many listings are on sale.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.models import Artisan, Listing
from marketplace import builder, vocabulary

PUBLIC = ("published", "sold_out")  # a sold-out page stays up (shared links keep working), marked as sold out
PAGE_SIZE = 48


@dataclass(frozen=True)
class Page:
    """One page of listings (each with its artisan), and where it sits among all that matched."""

    rows: list  # [(Listing, Artisan)]
    total: int
    number: int
    size: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))


def _text(name: str, wanted: str):
    """A {"hi", "en"} field (or a bare string) equal to `wanted` in either language, ignoring case and spaces."""
    def norm(expr):
        return func.lower(func.trim(expr))

    return or_(norm(Listing.fields[(name, "en")].as_string()) == wanted,
               norm(Listing.fields[(name, "hi")].as_string()) == wanted,
               norm(Listing.fields[name].as_string()) == wanted)  # a bare string (an object never equals it)


def _district(wanted: str):
    """The artisan's district as either side of the Haryana list's pair for `wanted`."""
    names = {wanted}
    for hi, en in vocabulary.table("districts").items():
        if wanted in (hi.lower(), str(en).lower()):
            names |= {hi.lower(), str(en).lower()}
    return func.lower(func.trim(Artisan.district)).in_(sorted(names))


def _where(*, statuses, artisan=None, product=None, material=None, district=None, min_price=None,
           max_price=None) -> list:
    clauses = [Listing.status.in_(statuses), Artisan.deleted_at.is_(None)]
    if artisan is not None:
        clauses.append(Listing.artisan_id == artisan)
    if min_price is not None:
        clauses.append(Listing.price_amount >= min_price)
    if max_price is not None:
        clauses.append(Listing.price_amount <= max_price)
    return clauses + _text_clauses(product=product, material=material, district=district)


def _text_clauses(*, product, material, district) -> list:
    """The text filters that say something, each matching Hindi or English."""
    clauses = [_text(name, _clean(wanted)) for name, wanted in (("product", product), ("material", material))
               if _clean(wanted)]
    if _clean(district):
        clauses.append(_district(_clean(district)))
    return clauses


def _clean(wanted: str | None) -> str:
    """A text filter as compared: trimmed, lower case, without NUL (which PostgreSQL refuses in any text)."""
    return (wanted or "").replace("\x00", "").strip().lower()


def _select(*columns):
    return select(*columns).select_from(Listing).join(Artisan, Artisan.id == Listing.artisan_id)


NEWEST_FIRST = (Listing.published_at.desc(), Listing.id.desc())


def count(session: Session, *, statuses=("published",), **filters) -> int:
    """How many listings match."""
    return session.scalar(_select(func.count(Listing.id)).where(*_where(statuses=statuses, **filters))) or 0


def rows(session: Session, *, limit: int | None, offset: int = 0, statuses=("published",), **filters) -> list[tuple]:
    """(listing, artisan) for `limit` (None: all) matching listings from `offset`, newest first, in one query."""
    query = (_select(Listing, Artisan).where(*_where(statuses=statuses, **filters)).order_by(*NEWEST_FIRST)
             .limit(limit).offset(offset))
    return [(listing, artisan) for listing, artisan in session.execute(query)]


def page(session: Session, *, number: int = 1, size: int = PAGE_SIZE, statuses=("published",), **filters) -> Page:
    """Page `number` (from 1) of the matching listings, newest first: a count and one bounded query."""
    total = count(session, statuses=statuses, **filters)
    found = rows(session, limit=size, offset=(number - 1) * size, statuses=statuses, **filters) if total else []
    return Page(rows=found, total=total, number=number, size=size)


def published(session: Session, *, statuses=("published",), limit: int | None = None, **filters) -> list[Listing]:
    """Listings in `statuses`, newest first, filtered. Text filters match Hindi or English names."""
    query = _select(Listing, Artisan).where(*_where(statuses=statuses, **filters)).order_by(*NEWEST_FIRST)
    if limit is not None:
        query = query.limit(limit)
    return [listing for listing, _ in session.execute(query)]


def public(session: Session, listing_id: int) -> Listing | None:
    """The listing while buyers may see it (published or sold out), else None."""
    listing = session.get(Listing, listing_id)
    return listing if listing is not None and listing.status in PUBLIC else None


def in_stock(listing: Listing) -> bool:
    return listing.status == "published" and (listing.quantity is None or listing.quantity > 0)


def facets(session: Session) -> dict:
    """The products, materials and districts on sale now, for the catalogue's filter menus (distinct values only)."""
    where = _where(statuses=("published",))
    values = {
        "product": session.scalars(_select(Listing.fields["product"]).where(*where).distinct()),
        "material": session.scalars(_select(Listing.fields["material"]).where(*where).distinct()),
        "district": (builder.district(d) for d in session.scalars(_select(Artisan.district).where(*where).distinct())),
    }
    return {name: _menu(found) for name, found in values.items()}


def _menu(values) -> list[dict]:
    """Distinct values as {"hi", "en"} pairs (the same English, else Hindi, name in any case is one), sorted."""
    found: dict[str, dict] = {}
    for value in values:
        pair = builder.pair(value)
        key = pair["en"] or pair["hi"]
        if key:
            found[key.lower()] = pair
    return sorted(found.values(), key=lambda p: (p["en"] or p["hi"] or ""))
