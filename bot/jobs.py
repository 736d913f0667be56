"""Background work: RQ jobs on a real Redis, or run inline when the app is embedded (no Redis server)."""
from __future__ import annotations

import logging
import threading
from datetime import timedelta
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

    def enqueue_in(self, seconds: float, name: str, *args, **options) -> None:
        """Run the job after `seconds` (RQ's scheduler: workers run with --with-scheduler; inline: a timer)."""
        func = globals()[name]
        if seconds <= 0:
            self.enqueue(name, *args, **options)
        elif self.inline:
            timer = threading.Timer(seconds, lambda: func(*args, services=self._services()))
            timer.daemon = True
            timer.start()
        else:
            self.queue.enqueue_in(timedelta(seconds=seconds), f"{__name__}.{name}", *args, **options)


def _services(services):
    """The services of the calling app (inline) or of this worker process's own app (RQ)."""
    global _worker_app
    if services is not None:
        return services
    if _worker_app is None:
        from app import create_app, settle

        _worker_app = create_app()
        settle()
    return _worker_app.extensions["hunar"]


def sync_listing(listing_id: int, services=None, channel: str | None = None) -> dict | None:
    """Bring a listing's sales channels (eBay) in line with it after a change; `channel` forces one on."""
    from marketplace import channels

    services = _services(services)
    return channels.sync_by_id(services.db, listing_id, publishers=services.publishers,
                               media_store=services.media_store, settings=services.settings,
                               now=services.clock(), only=channel)


def process_album(conversation_id: int, seq: int, services=None) -> None:
    """A photo's delayed job: steps aside if a newer photo of the conversation came (bot/album.py)."""
    from bot import album

    services = _services(services)
    if album.is_latest(services, conversation_id, seq):
        process_conversation(conversation_id, services=services)


def flush_conversation(conversation_id: int, services=None) -> None:
    """Try the conversation's unsent replies again (after a 429, 5xx or network error), with backoff."""
    from bot import delivery

    delivery.flush(_services(services), conversation_id)


def send_notice(conversation_id: int, key: str, services=None) -> None:
    """Send one catalogue text outside the engine, e.g. "slow_down" to a sender over the inbound limit."""
    from bot import delivery

    delivery.notice(_services(services), conversation_id, key)


def apply_delivery_status(sid: str, status: str, error_code: str | None, tries: int = 0, services=None) -> None:
    """A status callback that arrived before its message's SID was committed: look again a little later."""
    from bot import delivery

    services = _services(services)
    if not delivery.apply_status(services, sid, status, error_code) and tries < delivery.STATUS_RETRIES:
        services.jobs.enqueue_in(2.0 * (tries + 1), "apply_delivery_status", sid, status, error_code, tries + 1)


QUEUED_TTL = 600  # seconds; a flag outliving its job (a worker killed at the wrong instant) only delays recovery


def _queued_key(services, conversation_id: int) -> str:
    return f"{services.settings['REDIS_PREFIX']}queued:{conversation_id}"


def queue_conversation(services, conversation_id: int) -> None:
    """Queue the conversation's job, unless one is queued and not yet started: that one will see this message too.

    Under a burst an artisan's twenty messages make one or two jobs instead of twenty. The flag is set before
    the job is queued and cleared by the job before it looks for messages, so a message recorded before the
    flag was seen is always found by some job."""
    if services.jobs.inline:
        services.jobs.enqueue("process_conversation", conversation_id)
        return
    key = _queued_key(services, conversation_id)
    if not services.redis.set(key, 1, nx=True, ex=QUEUED_TTL):
        return
    try:
        services.jobs.enqueue("process_conversation", conversation_id)
    except Exception:
        services.redis.delete(key)
        raise


def process_conversation(conversation_id: int, services=None) -> None:
    """Handle every waiting message of one conversation, in order (the lock makes this safe to run twice).

    In a worker process the replies go out on its sending threads (bot/sending.py); inline, right here."""
    from bot import delivery

    services = _services(services)
    if not services.jobs.inline:
        services.redis.delete(_queued_key(services, conversation_id))  # before looking: see queue_conversation
    sender = _sender(services)
    if sender is None:
        if services.dispatcher.process(conversation_id):  # a reply must wait: try it again with backoff
            delivery.schedule_retry(services, conversation_id)
    elif services.dispatcher.process(conversation_id, send=False):
        sender.submit(conversation_id)


_senders: dict[int, object] = {}


def _sender(services):
    """This worker process's sending threads (bot/sending.py); None inline or with HUNAR_SEND_THREADS=0."""
    threads = int(services.settings["SEND_THREADS"])
    if services.jobs.inline or threads <= 0:
        return None
    if id(services) not in _senders:
        from bot.sending import Sender

        _senders[id(services)] = Sender(services, threads)
    return _senders[id(services)]


def send_reminders(services=None) -> int:
    """Remind artisans, once and inside the 24-hour window, of a listing they left half-done."""
    from bot import periodic

    return periodic.send_reminders(_services(services))


def recover_stalled(services=None) -> int:
    """Re-queue conversations with messages or replies left half-done by a crashed worker."""
    from bot import periodic

    return periodic.recover_stalled(_services(services))


def expire_raw_media(services=None) -> int:
    """Delete voice notes and documents past the retention period."""
    from bot import periodic

    return periodic.expire_raw_media(_services(services))


def cleanup_upload_links(services=None) -> int:
    """Forget expired and used SMS upload links."""
    from bot import periodic

    return periodic.cleanup_upload_links(_services(services))


def sweep_stuck(services=None) -> int:
    """Flag conversations gone quiet mid-listing (HUNAR_STUCK_AFTER_MINUTES) or waiting for a listing review."""
    from datetime import timedelta

    from bot.handoff import sweep

    services = _services(services)
    minutes = float(services.settings["STUCK_AFTER_MINUTES"])
    return sweep(services.db, services.clock, stuck_after=timedelta(minutes=minutes),
                 publish=services.dispatcher.publish)
