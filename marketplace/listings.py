"""A listing's lifecycle: created from a finished draft, then moved forward by the artisan, staff or channels.

Who must hear of a change (the channels' sync job, the storefront's cache) hands a callable to `on_change` once,
when the app is built; every change here ends in `touch`, which calls it with the listing's id once the
transaction has committed (marketplace/channels.py draws the whole route to eBay).
"""
from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import after_commit, audit
from db.models import Artisan, Listing, Photo
from marketplace import builder, gallery

# Where a database's followers live: its session factory's `info`, which SQLAlchemy copies into every session.
_FOLLOWERS = "hunar.listing_followers"

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
    listing = _new_listing(artisan_id, slots, now)
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


def _new_listing(artisan_id: int, slots: dict, now: datetime) -> Listing:
    """A submitted listing from the draft's slots (the photos are attached apart); titles are built later."""
    price = slots.get("price") or {}
    return Listing(artisan_id=artisan_id, status="submitted", fields={k: v for k, v in slots.items() if k != "photos"},
                   price_amount=price.get("amount"), price_per=price.get("per") or "piece",
                   quantity=slots.get("quantity"), title={}, description={}, channels={},
                   created_at=now, updated_at=now)


def move(session: Session, listing: Listing, status: str, *, now: datetime, actor: str, reason: str | None = None) -> None:
    """Change a listing's status if the lifecycle allows it, and record the change."""
    if _set_status(session, listing, status, now=now, actor=actor, reason=reason):
        touch(session, listing)


def _set_status(session: Session, listing: Listing, status: str, *, now: datetime, actor: str,
                reason: str | None = None) -> bool:
    """`move` without the touch: False when the listing already has `status`; TransitionError if not allowed."""
    if status == listing.status:
        return False
    if status not in TRANSITIONS.get(listing.status, set()):
        raise TransitionError(f"listing {listing.id}: {listing.status} → {status} is not allowed")
    before = listing.status
    _stamp(listing, status, now, reason)
    audit.record(session, f"listing.{status}", actor=actor, at=now, artisan_id=listing.artisan_id,
                 listing_id=listing.id, before=before, **({"reason": reason} if reason else {}))
    return True


def _stamp(listing: Listing, status: str, now: datetime, reason: str | None) -> None:
    """The new status, when it changed, when it was first published, and why it was rejected."""
    listing.status = status
    listing.updated_at = now
    if status == "published" and listing.published_at is None:
        listing.published_at = now
    if status == "rejected":
        listing.reject_reason = reason


def change(session: Session, listing: Listing, changes: dict, *, now: datetime, actor: str) -> None:
    """Apply price/quantity/field changes and a status change together, each recorded.

    Without a status, stock decides between published and sold out. The listing is touched once, even when the
    status change is refused (TransitionError): the other changes stand."""
    changes = dict(changes)
    status = changes.pop("status", None)
    record = partial(audit.record, session, actor=actor, at=now, artisan_id=listing.artisan_id,
                     listing_id=listing.id)
    if "price" in changes:
        _set_price(listing, changes.pop("price"), record)
    if "quantity" in changes:
        _set_quantity(listing, changes.pop("quantity"), record)
    if "description" in changes and actor.startswith("staff:"):
        # staff's rewrite is kept apart from the artisan's own words, which stay as they said them (m13)
        changes["description_staff"] = changes.pop("description")
    if changes:
        listing.fields = {**listing.fields, **changes}
        record("listing.edited", fields=sorted(changes))
    listing.updated_at = now
    rebuild(session, listing)
    if status is None:
        status = _stock_status(listing)
    try:
        if status:
            _set_status(session, listing, status, now=now, actor=actor)
    finally:
        touch(session, listing)


def _set_price(listing: Listing, price, record: Callable) -> None:
    """A price as {"amount", "per"} or a bare amount; kept in the columns and in the fields."""
    amount = price.get("amount") if isinstance(price, dict) else price
    per = price.get("per") if isinstance(price, dict) else None
    old = listing.price_amount
    listing.price_amount = float(amount)
    if per:
        listing.price_per = per
    listing.fields = {**listing.fields, "price": {"amount": listing.price_amount, "per": listing.price_per}}
    record("listing.price", before=old, after=listing.price_amount)


def _set_quantity(listing: Listing, quantity, record: Callable) -> None:
    old = listing.quantity
    listing.quantity = int(quantity)
    listing.fields = {**listing.fields, "quantity": listing.quantity}
    record("listing.quantity", before=old, after=listing.quantity)


# Stock moves a listing between published and sold out: (status, any left) → the status it moves to.
STOCK_MOVES = {("published", False): "sold_out", ("sold_out", True): "published"}


def _stock_status(listing: Listing) -> str | None:
    """Sold out when the last one went, published again when stock came back; None when stock says nothing."""
    if listing.quantity is None:
        return None
    return STOCK_MOVES.get((listing.status, listing.quantity > 0))


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


def on_change(db, follower: Callable[[int], None]) -> None:
    """Have `follower(listing_id)` called after each committed change to a listing of `db` (a db.Database).

    Called once per follower when the app is built: bot/services.py hands in the channels' sync job,
    marketplace/freshness.py the storefront's cache."""
    info = dict(db.sessions.kw.get("info") or {})
    info[_FOLLOWERS] = (*info.get(_FOLLOWERS, ()), follower)
    db.sessions.configure(info=info)


def touch(session: Session, listing: Listing) -> None:
    """Once this transaction commits (never if it rolls back), tell each follower that the listing changed."""
    for follower in session.info.get(_FOLLOWERS, ()):
        after_commit(session, partial(follower, listing.id))


def photos_of(session: Session, listing_id: int) -> list[Photo]:
    """A listing's photos as buyers see them (`gallery.shown`: only the passed ones once one passed), in order."""
    return gallery.shown(list(session.scalars(select(Photo).where(Photo.listing_id == listing_id)
                                              .order_by(Photo.position, Photo.id))))


def photos_by_listing(session: Session, listing_ids) -> dict[int, list[Photo]]:
    """The photos buyers see of many listings (see `photos_of`) in one query, each listing's in order."""
    ids = sorted(set(listing_ids))
    found: dict[int, list[Photo]] = {listing_id: [] for listing_id in ids}
    if ids:
        for photo in session.scalars(select(Photo).where(Photo.listing_id.in_(ids))
                                     .order_by(Photo.listing_id, Photo.position, Photo.id)):
            found[photo.listing_id].append(photo)
    return {listing_id: gallery.shown(photos) for listing_id, photos in found.items()}
