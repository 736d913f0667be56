"""Sales channels beyond the storefront: the ListingPublisher interface and keeping every channel in step.

The storefront reads the database (its cache follows each change, marketplace/freshness.py) and the stored
feeds are rebuilt soon after each change (marketplace/feedfiles.py). Channels that hold their own copy (eBay)
are brought up to date by `sync_listing`. A channel's state lives in `listing.channels[name]`:
{"status": "published" | "withdrawn" | "error", ids..., "error": {"code", "reason"}, "at"}.

Every route to eBay ends in `sync_listing` here, through `sync_by_id` (which row-locks the listing):

  a listing changes: the artisan on WhatsApp (bot/effects.py), staff editing it or approving it in review
  (helpdesk/actions.py edit_listing; review → bot/handoff.act), an artisan's data erased (bot/erasure.py)
      │  marketplace/listings.py create_listing / change / move → touch
      ▼
  db.after_commit(session, follower(listing.id))         (dropped if the transaction rolls back)
      │  the follower bot/services.py handed to listings.on_change
      ▼
  job "sync_listing" (bot/jobs.py) ──────────────────────────────────┐
                                                                     │
  staff "try again" on a channel that refused the listing            │
  (helpdesk/actions.py retry_channel) → job "publish_channel" ───────┤ only=channel
                                                                     │
  `flask listings publish ID --channel ebay` (marketplace/cli.py) ───┤ only=channel, at once
  `flask listings sync ID` (marketplace/cli.py) ─────────────────────┤ at once
                                                                     ▼
                       sync_by_id → sync_listing(auto=auto_channels(settings), only=…)
                                                                     │ publish or withdraw
                                                                     ▼
                                           marketplace/ebay.py EbayPublisher → eBay

`sync_listing` publishes on a channel only when the listing is already there, the channel is forced (`only`) or
automatic (`auto`: "ebay" with EBAY_AUTO_PUBLISH=1); it withdraws from a channel that may still show a listing
no longer for sale. So with EBAY_AUTO_PUBLISH=0 (the default) a listing first goes on eBay through the CLI, and
from then on every change follows through the after-commit job. With LISTING_REVIEW=1 (the default) a new
listing waits in review, and staff approving it is the change that publishes it (and, with
EBAY_AUTO_PUBLISH=1, puts it on eBay).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from db import audit
from db.models import Listing
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

    `only` forces one channel (the CLI's `publish --channel`, staff's retry). Returns {channel: new state}.
    """
    results = {}
    item = None
    for name, publisher in _chosen(publishers, only).items():
        state = _state(listing, name)
        action = _action(listing, publisher, state, put_on=bool(name in auto or only))
        if action is None:
            continue
        item = item or channel_item(session, listing, media_store, base_url=base_url)
        results[name] = _record(session, listing, name, _attempt(action, item, state, listing.id, name),
                                now=now, actor=actor)
    return results


def _chosen(publishers: dict, only: str | None) -> dict:
    return {name: publisher for name, publisher in publishers.items() if not only or name == only}


def _state(listing: Listing, name: str) -> dict:
    """A copy of the listing's state on channel `name` ({} when it has never been there)."""
    return dict((listing.channels or {}).get(name) or {})


def _action(listing: Listing, publisher, state: dict, *, put_on: bool) -> Callable[[dict, dict], dict] | None:
    """What the channel must do: publish, withdraw, or nothing (None). `put_on`: may go on a channel it is not on."""
    if wanted(listing):
        return publisher.publish if (state or put_on) else None
    return publisher.withdraw if _up(state) else None


def _up(state: dict) -> bool:
    """Whether the channel may still show the listing: published, or failed after an offer was made."""
    return state.get("status") == "published" or (state.get("status") == "error" and bool(state.get("offer_id")))


def _attempt(action, item: dict, state: dict, listing_id: int, name: str) -> dict:
    """The channel's new state after `action`, or its old state marked "error" with the reason."""
    try:
        new = action(item, state)
    except PublishError as exc:
        log.warning("listing %s on %s: %s", listing_id, name, exc)
        return {**state, "status": "error",
                "error": {"code": exc.code, "reason": exc.reason, "retry": exc.retry,
                          **({"detail": exc.detail[:500]} if exc.detail else {})}}
    new.pop("error", None)
    return new


def _record(session: Session, listing: Listing, name: str, new: dict, *, now: datetime, actor: str) -> dict:
    """Keep the channel's new state on the listing, and an event of it."""
    new["at"] = now.isoformat()
    listing.channels = {**(listing.channels or {}), name: new}
    audit.record(session, f"channel.{new['status']}", actor=actor, at=now, artisan_id=listing.artisan_id,
                 listing_id=listing.id, channel=name, **({"error": new["error"]["code"]} if new.get("error") else {}))
    return new


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
