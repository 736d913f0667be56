"""Sales channels beyond the storefront: the ListingPublisher interface and keeping every channel in step.

The storefront reads the database (its cache follows each change, marketplace/freshness.py) and the stored
feeds are rebuilt soon after each change (marketplace/feedfiles.py). Channels that hold their own copy (eBay)
are brought up to date by `sync_listing`, run as a job after every committed change (`watch` notes the changed
listings). A channel's state lives in `listing.channels[name]`:
{"status": "published" | "withdrawn" | "error", ids..., "error": {"code", "reason"}, "at"}.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Protocol, runtime_checkable

from sqlalchemy import event
from sqlalchemy.orm import Session

from db import after_commit, audit
from db.models import Listing
from marketplace import listings
from marketplace.serialize import channel_item

log = logging.getLogger("hunar.channels")


class PublishError(Exception):
    """A channel refused or failed; `reason` is a sentence staff can act on, `retry` says if trying later may help."""

    def __init__(self, code: str, reason: str, *, retry: bool = False, detail: str | None = None):
        super().__init__(f"{code}: {reason}")
        self.code, self.reason, self.retry, self.detail = code, reason, retry, detail


@runtime_checkable
class ListingPublisher(Protocol):
    """One outside sales channel. `item` is serialize.channel_item(); `state` is listing.channels[name]."""

    name: str

    def publish(self, item: dict, state: dict) -> dict:
        """Create or bring up to date the channel's copy (price, stock, text, photos); returns the new state."""

    def withdraw(self, item: dict, state: dict) -> dict:
        """Take the channel's copy down (sold out, withdrawn); returns the new state."""


class UnconfiguredPublisher:
    """Stands in for a channel whose settings are missing, and says which ones."""

    def __init__(self, name: str, missing: list[str]):
        self.name, self.missing = name, missing

    def _refuse(self, *_):
        raise PublishError("not_configured", f"{self.name} is not configured: set {', '.join(self.missing)}")

    publish = withdraw = _refuse


def wanted(listing: Listing) -> bool:
    """Whether buyers should be able to buy it now."""
    return listing.status == "published" and (listing.quantity is None or listing.quantity > 0)


def sync_listing(session: Session, listing: Listing, publishers: dict, *, media_store, base_url: str,
                 now: datetime, auto: tuple[str, ...] = (), only: str | None = None, actor: str = "system") -> dict:
    """Bring each channel the listing is on (or should be, for `auto` channels) in line with it.

    `only` forces one channel (the CLI's `publish --channel`). Returns {channel: new state}.
    """
    results = {}
    item = None
    for name, publisher in publishers.items():
        if only and name != only:
            continue
        state = dict((listing.channels or {}).get(name) or {})
        live = state.get("status") == "published"
        if wanted(listing):
            if not (state or name in auto or only):
                continue  # never put on this channel
            action = publisher.publish
        elif live or (state.get("status") == "error" and state.get("offer_id")):
            action = publisher.withdraw
        else:
            continue
        item = item or channel_item(session, listing, media_store, base_url=base_url)
        try:
            new = action(item, state)
            new.pop("error", None)
        except PublishError as exc:
            log.warning("listing %s on %s: %s", listing.id, name, exc)
            new = {**state, "status": "error",
                   "error": {"code": exc.code, "reason": exc.reason, "retry": exc.retry,
                             **({"detail": exc.detail[:500]} if exc.detail else {})}}
        new["at"] = now.isoformat()
        listing.channels = {**(listing.channels or {}), name: new}
        audit.record(session, f"channel.{new['status']}", actor=actor, at=now, artisan_id=listing.artisan_id,
                     listing_id=listing.id, channel=name,
                     **({"error": new["error"]["code"]} if new.get("error") else {}))
        results[name] = new
    return results


def watch(sessions, enqueue: Callable[[int], None]) -> None:
    """After each commit, queue a sync for every listing the transaction changed (see listings.touch).

    A session factory is watched once, even when one database is handed to two apps (the first app's queue).
    """
    if getattr(sessions, "_hunar_watched", False):
        return
    sessions._hunar_watched = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        touched = session.info.pop(listings.TOUCHED, None)
        for listing_id in sorted(touched or ()):
            after_commit(session, lambda listing_id=listing_id: enqueue(listing_id))

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(listings.TOUCHED, None)


def auto_channels(settings: dict) -> tuple[str, ...]:
    """Channels every published listing goes to without being sent there by hand."""
    return ("ebay",) if int(settings.get("EBAY_AUTO_PUBLISH") or 0) else ()


def sync_by_id(db, listing_id: int, *, publishers: dict, media_store, settings: dict, now: datetime,
               only: str | None = None, actor: str = "system") -> dict | None:
    """The job's body: load the listing (row-locked on PostgreSQL), sync it, commit. None if it is gone."""
    with db.session() as session:
        listing = session.get(Listing, listing_id, with_for_update=True)
        if listing is None:
            return None
        return sync_listing(session, listing, publishers, media_store=media_store,
                            base_url=str(settings.get("PUBLIC_BASE_URL") or ""), now=now,
                            auto=auto_channels(settings), only=only, actor=actor)
