"""Background work: RQ jobs on a real Redis, or run inline when the app is embedded (no Redis server)."""
from __future__ import annotations

import logging
from typing import Callable

log = logging.getLogger("hunar.jobs")

_worker_app = None


class Jobs:
    """Queues a job by the dotted name of a function in this module; inline mode calls it right away."""

    def __init__(self, queue, *, inline: bool, services_getter: Callable[[], object]):
        self.queue = queue
        self.inline = inline
        self._services = services_getter

    def enqueue(self, name: str, *args, **options) -> None:
        func = globals()[name]
        if self.inline:
            func(*args, services=self._services())
        else:
            self.queue.enqueue(f"{__name__}.{name}", *args, **options)


def _services(services):
    """The services of the calling app (inline) or of this worker process's own app (RQ)."""
    global _worker_app
    if services is not None:
        return services
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    return _worker_app.extensions["hunar"]


def sync_listing(listing_id: int, services=None, channel: str | None = None) -> dict | None:
    """Bring a listing's sales channels (eBay) in line with it after a change; `channel` forces one on."""
    from marketplace import channels

    services = _services(services)
    return channels.sync_by_id(services.db, listing_id, publishers=services.publishers,
                               media_store=services.media_store, settings=services.settings,
                               now=services.clock(), only=channel)


def process_conversation(conversation_id: int, services=None) -> None:
    """Handle every waiting message of one conversation, in order (the lock makes this safe to run twice)."""
    _services(services).dispatcher.process(conversation_id)
