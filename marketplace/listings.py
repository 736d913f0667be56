"""A listing's lifecycle: created from a finished draft, then moved forward by the artisan, staff or channels."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import audit
from db.models import Artisan, Listing, Photo
from marketplace import builder

TOUCHED = "hunar.listings_touched"  # session.info key: listings whose channels must be brought up to date

# Which status may follow which; anything else is refused (a stale button must not resurrect a listing).
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"submitted", "withdrawn"},
    "submitted": {"review", "published", "withdrawn"},
    "review": {"published", "rejected", "withdrawn"},
    "published": {"sold_out", "withdrawn"},
    "sold_out": {"published", "withdrawn"},
    "rejected": {"review", "withdrawn"},
    "withdrawn": set(),
}


class TransitionError(ValueError):
    """A status change that the lifecycle does not allow."""


def create_listing(session: Session, *, artisan_id: int, slots: dict, photo_ids: tuple[int, ...] | list[int],
                   review: bool, now: datetime, actor: str = "artisan") -> Listing:
    """Turn a confirmed draft into a listing, attach its photos, and send it to review or publish it."""
    fields = {k: v for k, v in slots.items() if k not in ("photos",)}
    price = slots.get("price") or {}
    listing = Listing(artisan_id=artisan_id, status="submitted", fields=fields,
                      price_amount=price.get("amount"), price_per=price.get("per") or "piece",
                      quantity=slots.get("quantity"), title={}, description={}, channels={},
                      created_at=now, updated_at=now)
    session.add(listing)
    session.flush()
    listing.sku = builder.sku(listing.id)
    rebuild(session, listing)
    for position, photo_id in enumerate(photo_ids):
        session.execute(update(Photo).where(Photo.id == photo_id, Photo.artisan_id == artisan_id)
                        .values(listing_id=listing.id, position=position))
    audit.record(session, "listing.submitted", actor=actor, at=now, artisan_id=artisan_id, listing_id=listing.id)
    move(session, listing, "review" if review else "published", now=now, actor="system")
    return listing


def move(session: Session, listing: Listing, status: str, *, now: datetime, actor: str, reason: str | None = None) -> None:
    """Change a listing's status if the lifecycle allows it, and record the change."""
    if status == listing.status:
        return
    if status not in TRANSITIONS.get(listing.status, set()):
        raise TransitionError(f"listing {listing.id}: {listing.status} → {status} is not allowed")
    before = listing.status
    listing.status = status
    listing.updated_at = now
    if status == "published" and listing.published_at is None:
        listing.published_at = now
    if status == "rejected":
        listing.reject_reason = reason
    touch(session, listing)
    audit.record(session, f"listing.{status}", actor=actor, at=now, artisan_id=listing.artisan_id,
                 listing_id=listing.id, before=before, **({"reason": reason} if reason else {}))


def change(session: Session, listing: Listing, changes: dict, *, now: datetime, actor: str) -> None:
    """Apply price/quantity/field changes and a status change together, each recorded."""
    changes = dict(changes)
    status = changes.pop("status", None)
    if "price" in changes:
        price = changes.pop("price")
        amount = price.get("amount") if isinstance(price, dict) else price
        per = price.get("per") if isinstance(price, dict) else None
        old = listing.price_amount
        listing.price_amount = float(amount)
        if per:
            listing.price_per = per
        listing.fields = {**listing.fields, "price": {"amount": listing.price_amount, "per": listing.price_per}}
        audit.record(session, "listing.price", actor=actor, at=now, artisan_id=listing.artisan_id,
                     listing_id=listing.id, before=old, after=listing.price_amount)
    if "quantity" in changes:
        old = listing.quantity
        listing.quantity = int(changes.pop("quantity"))
        listing.fields = {**listing.fields, "quantity": listing.quantity}
        audit.record(session, "listing.quantity", actor=actor, at=now, artisan_id=listing.artisan_id,
                     listing_id=listing.id, before=old, after=listing.quantity)
    if changes:
        listing.fields = {**listing.fields, **changes}
        audit.record(session, "listing.edited", actor=actor, at=now, artisan_id=listing.artisan_id,
                     listing_id=listing.id, fields=sorted(changes))
    listing.updated_at = now
    rebuild(session, listing)
    touch(session, listing)
    if status is None and listing.quantity is not None:  # stock decides between published and sold out
        if listing.quantity <= 0 and listing.status == "published":
            status = "sold_out"
        elif listing.quantity > 0 and listing.status == "sold_out":
            status = "published"
    if status:
        move(session, listing, status, now=now, actor=actor)


def rebuild(session: Session, listing: Listing) -> builder.Built:
    """Write the builder's titles and descriptions from the listing's fields and its artisan's profile."""
    artisan = session.get(Artisan, listing.artisan_id)
    built = builder.build(listing.fields or {}, profile(artisan))
    listing.title, listing.description = built.title, built.description
    return built


def profile(artisan: Artisan | None) -> dict:
    """What the builder may use of an artisan: name, district and craft, never contact details."""
    if artisan is None:
        return {}
    return {"name": artisan.name, "district": artisan.district, "craft": artisan.craft}


def touch(session: Session, listing: Listing) -> None:
    """Note that this listing's channels need syncing once the transaction commits (see marketplace.sync)."""
    session.info.setdefault(TOUCHED, set()).add(listing.id)


def photos_of(session: Session, listing_id: int) -> list[Photo]:
    """A listing's photos in the order the artisan sent them."""
    return list(session.scalars(select(Photo).where(Photo.listing_id == listing_id).order_by(Photo.position)))


def photos_by_listing(session: Session, listing_ids) -> dict[int, list[Photo]]:
    """The photos of many listings in one query, each listing's in the artisan's order (no query per listing)."""
    ids = sorted(set(listing_ids))
    found: dict[int, list[Photo]] = {listing_id: [] for listing_id in ids}
    if ids:
        for photo in session.scalars(select(Photo).where(Photo.listing_id.in_(ids))
                                     .order_by(Photo.listing_id, Photo.position, Photo.id)):
            found[photo.listing_id].append(photo)
    return found
