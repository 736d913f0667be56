"""Background work: RQ jobs on a real Redis, or run inline when the app is embedded (no Redis server)."""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Callable

log = logging.getLogger("hunar.jobs")

_worker_app = None


def queue_name(settings: dict) -> str:
    """The RQ queue of this deployment: HUNAR_REDIS_PREFIX without its colon ("hunar:" → "hunar").

    The one rule for the app, `python -m bot.worker` and deploy/cron.py, so that they cannot disagree."""
    return str(settings["REDIS_PREFIX"]).rstrip(":") or "hunar"


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


def publish_channel(listing_id: int, channel: str, services=None) -> dict | None:
    """Staff's "try again" for a channel that refused a listing: that channel, now."""
    return sync_listing(listing_id, services=services, channel=channel)


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


# A conversation with a message to handle is "ready": a member of one Redis sorted set, scored by when it became
# ready. Drain jobs take ready conversations oldest first until none is left, so under load a running job takes
# each new message as it comes and one RQ job (about 2 ms of a worker's time in RQ's own bookkeeping) serves
# many messages; when it is quiet, every message still gets a job of its own at once.
DRAIN_QUEUED_TTL = 60  # seconds; a flag outliving its job only lets an extra drain job be queued
DRAIN_HANDOVER_SECONDS = 10.0  # a drain job hands the rest to a fresh one after this long (RQ's timeout is 180 s)


def _ready_key(services) -> str:
    return f"{services.settings['REDIS_PREFIX']}ready"


def _drain_queued_key(services) -> str:
    return f"{services.settings['REDIS_PREFIX']}drain:queued"


def queue_conversation(services, conversation_id: int) -> None:
    """Mark the conversation ready, and queue a drain job unless one is queued and not yet started.

    One round trip when a job is already waiting. The flag is cleared by the job before it takes its first
    conversation, so a conversation marked ready before the flag was seen is always taken by some job."""
    if services.jobs.inline:
        services.jobs.enqueue("process_conversation", conversation_id)
        return
    with services.redis.pipeline(transaction=False) as pipe:
        mark_ready(services, pipe, conversation_id)
        fresh = pipe.execute()[-1]
    marked(services, fresh)


def mark_ready(services, pipe, conversation_id: int) -> None:
    """`queue_conversation`'s Redis part as commands on the caller's pipeline; pass the last result to `marked`."""
    pipe.zadd(_ready_key(services), {str(conversation_id): services.clock().timestamp()}, nx=True)
    _flag_drain(services, pipe)


def marked(services, fresh) -> None:
    """After `mark_ready`: queue the drain job if this call set its flag."""
    if fresh:
        _enqueue_drain(services)


def drain_ready(services=None, clock=time.monotonic) -> int:
    """Handle ready conversations, oldest first, until none is left; returns how many were taken.

    A conversation that fails is logged and left to `recover_stalled` (its messages wait in the database), so
    one bad conversation does not hold up the others."""
    services = _services(services)
    services.redis.delete(_drain_queued_key(services))  # before taking any: see queue_conversation
    handover = clock() + DRAIN_HANDOVER_SECONDS
    taken = 0
    while clock() < handover:
        popped = services.redis.zpopmin(_ready_key(services))
        if not popped:
            return taken
        taken += 1
        conversation_id = int(popped[0][0])
        try:
            process_conversation(conversation_id, services=services)
        except Exception:
            log.exception("conversation %s: handling failed; recover_stalled will try again", conversation_id)
    if services.redis.zcard(_ready_key(services)):
        _queue_drain(services)
    return taken


def _queue_drain(services) -> None:
    """Queue a drain job unless one is already waiting."""
    marked(services, _flag_drain(services, services.redis))


def _flag_drain(services, client):
    """Set the "a drain job is queued" flag unless set (on a client, or on a pipeline for later)."""
    return client.set(_drain_queued_key(services), 1, nx=True, ex=DRAIN_QUEUED_TTL)


def _enqueue_drain(services) -> None:
    """Queue the drain job whose flag we just set; without the job, the flag must not stay."""
    try:
        services.jobs.enqueue("drain_ready")
    except Exception:
        services.redis.delete(_drain_queued_key(services))
        raise


def waiting(services) -> int:
    """Conversations marked ready and not yet taken by a drain job."""
    return 0 if services.jobs.inline else int(services.redis.zcard(_ready_key(services)))


def process_conversation(conversation_id: int, services=None) -> None:
    """Handle every waiting message of one conversation, in order (the lock makes this safe to run twice).

    In a worker process the replies go out on its sending threads (bot/sending.py); inline, right here."""
    from bot import delivery

    services = _services(services)
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
