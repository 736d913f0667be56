"""The product feeds as stored files (instance/feeds/): built by a job, served as files.

Building reads every feed-ready listing, so it never runs per request: the `refresh_feeds` job builds the files
after listings change (queued once per burst of changes) and every 10 minutes (deploy/cron.py); a request only
builds them when there are none yet. Files are written whole and swapped in with os.replace, so a request
never sees half a feed, and a Redis lock keeps two workers from building at once.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

from flask import Response, abort, send_file

from marketplace import feeds, freshness, pricing
from marketplace.freshness import StoreServices

log = logging.getLogger("hunar.feeds")
FILES = {"meta.csv": "text/csv; charset=utf-8", "google.xml": "application/rss+xml; charset=utf-8"}
LOCK_SECONDS = 600  # longer than a build takes; a crashed builder's lock frees itself after this
RETRY_AFTER = 30  # seconds; what a request is told while another process builds the first files
MAX_AGE = 900  # catalog crawlers fetch hourly at most

# Delete the lock only if it is still ours (it may have expired and been taken by another builder).
_UNLOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def folder(services: StoreServices) -> Path:
    return Path(services.settings["INSTANCE_PATH"]) / "feeds"


def _write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` (atomic on one filesystem)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def build(services: StoreServices) -> int:
    """Write every feed file from the database now; returns how many listings they hold."""
    base_url = str(services.settings["PUBLIC_BASE_URL"])
    with services.db.session() as session:
        items = feeds.items(session, services.media_store, base_url)
    out = folder(services)
    out.mkdir(parents=True, exist_ok=True)
    settings = services.settings  # each feed at its channel's price (marketplace/pricing.py; the artisan's today)
    _write(out / "meta.csv", feeds.meta_csv(pricing.priced(items, "meta", settings)).encode("utf-8"))
    _write(out / "google.xml", feeds.google_xml(pricing.priced(items, "google", settings), base_url=base_url))
    return len(items)


def refresh(services: StoreServices) -> bool:
    """The `refresh_feeds` job: rebuild the files unless another process is building them; True if this did."""
    redis = services.redis
    redis.delete(freshness.key(services, "feeds:queued"))  # changes from now on queue another build
    lock, token = freshness.key(services, "feeds:lock"), secrets.token_hex(8)
    if not redis.set(lock, token, nx=True, ex=LOCK_SECONDS):
        return False
    try:
        # Read before the database: a change committed during the build leaves the files marked stale.
        generation = freshness.generation(services)
        started = time.monotonic()
        count = build(services)
        redis.set(freshness.key(services, "feeds:built"), generation)
        log.info("feeds built: %d listings in %.2f s", count, time.monotonic() - started)
    finally:
        redis.eval(_UNLOCK, 1, lock, token)
    return True


def request(services: StoreServices) -> None:
    """Queue one `refresh_feeds` job, unless one is queued and not yet started."""
    if services.redis.set(freshness.key(services, "feeds:queued"), 1, nx=True, ex=LOCK_SECONDS):
        services.queue_feed_refresh()


def _stale(services: StoreServices) -> bool:
    generation, built = services.redis.mget(freshness.key(services, "generation"),
                                            freshness.key(services, "feeds:built"))
    return int(generation or 0) != int(built or 0)


def send(services: StoreServices, name: str):
    """The stored feed `name` (with Last-Modified and ETag), building it first only if there is none."""
    path = folder(services) / name
    if not path.exists():
        if not refresh(services):
            # Another process is building the first files: say when to come back rather than hold a web thread.
            resp = Response("The feed is being built; try again shortly.\n", status=503, content_type="text/plain")
            resp.headers["Retry-After"] = str(RETRY_AFTER)
            abort(resp)
    elif _stale(services):
        if services.jobs.inline:
            refresh(services)  # embedded: no worker, and only a change since the last build gets here
        else:
            request(services)  # served as it is meanwhile; a worker rebuilds it in seconds
    return send_file(path, mimetype=FILES[name], conditional=True, etag=True, max_age=MAX_AGE)
