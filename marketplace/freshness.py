"""How stale the storefront may be: a generation number bumped after each committed listing change.

Rendered pages and filter menus are cached in Redis under the generation, so a change shows at once and old
entries simply expire; the stored feeds record the generation they were built from (marketplace/feedfiles.py).
"""
from __future__ import annotations

import hashlib
import logging
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError

from db import Database
from marketplace import listings
from marketplace.photos.store import MediaStore

log = logging.getLogger("hunar.storefront")
PAGE_TTL = 60  # seconds a rendered page is reused (pages also say max-age to browsers and proxies)
FACETS_TTL = 60


class _Jobs(Protocol):
    inline: bool  # no worker: work runs in the request


class StoreServices(Protocol):
    """What the storefront's cache and the stored feeds use of the app's services (bot.services.Services)."""

    settings: dict
    db: Database
    redis: Redis
    media_store: MediaStore
    jobs: _Jobs

    def queue_feed_refresh(self) -> None: ...


def key(services: StoreServices, name: str) -> str:
    return f"{services.settings['REDIS_PREFIX']}store:{name}"


def generation(services: StoreServices) -> int:
    """The current generation (0 before the first change, or after Redis lost it)."""
    return int(services.redis.get(key(services, "generation")) or 0)


def changed(services: StoreServices) -> None:
    """Listings changed: pages are rendered afresh, and the feeds are rebuilt (by a worker, when there is one)."""
    services.redis.incr(key(services, "generation"))
    if not services.jobs.inline:  # embedded, the next feed request rebuilds them: no worker to hand it to
        from marketplace import feedfiles

        feedfiles.request(services)


def watch(services: StoreServices) -> None:
    """Call `changed` after each committed change to a listing (listings.touch); registered once per app."""
    listings.on_change(services.db, lambda listing_id: changed(services))


def cached(services: StoreServices, name: str, parts: dict, ttl: int, make):
    """`make()` (str), reused for `ttl` seconds per generation and `parts`; made afresh when Redis fails."""
    try:
        current = generation(services)
    except RedisError:
        log.warning("storefront cache unavailable; rendering without it")
        return make()
    digest = hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()[:32]
    entry = key(services, f"{name}:{current}:{digest}")
    hit = _read(services, entry)
    if hit is not None:
        return hit
    value = make()
    try:
        services.redis.set(entry, value, ex=ttl)
    except RedisError:
        pass
    return value


def _read(services: StoreServices, entry: str) -> str | None:
    """A cached text, or None when it is not there or Redis fails."""
    try:
        hit = services.redis.get(entry)
    except RedisError:
        return None
    return hit.decode() if isinstance(hit, bytes) else hit
