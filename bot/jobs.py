"""Background work: RQ jobs on a real Redis, or run inline when the app is embedded (no Redis server).

Every job is a function of this module, queued by the function itself (`jobs.enqueue(drain_ready)`), never by a
name. A job takes `services`: inline the app's own; in an RQ worker, the ones `python -m bot.worker` built before
taking its first job (`serve`).
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Callable

from bot import delivery, handoff, periodic
from bot.send_backoff import backoff_seconds
from marketplace import channels, feedfiles

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.jobs")

DRAIN_HANDOVER_SECONDS = 10.0  # a drain job hands the rest to a fresh one after this long (RQ's timeout is 180 s)
FAILED_RETRIES = 6  # a failed conversation's quick retries, 1 s to 32 s apart


def queue_name(settings: dict) -> str:
    """The RQ queue of this deployment: HUNAR_REDIS_PREFIX without its colon ("hunar:" → "hunar").

    The one rule for the app, `python -m bot.worker` and deploy/cron.py, so that they cannot disagree."""
    return str(settings["REDIS_PREFIX"]).rstrip(":") or "hunar"


class _Worker:
    """The services of this RQ worker process, set once by `serve` before the first job."""

    services: Services | None = None


def serve(services: Services) -> None:
    """Make `services` the ones this process's jobs use (called by `python -m bot.worker`)."""
    _Worker.services = services


def _services(services: Services | None) -> Services:
    """The calling app's services (inline) or this worker process's (RQ)."""
    services = services or _Worker.services
    if services is None:
        raise RuntimeError("no app for this job: run workers with `python -m bot.worker`")
    return services


class Jobs:
    """Queues a job (a function of this module); inline mode calls it right away."""

    def __init__(self, queue, *, inline: bool):
        self.queue = queue
        self.inline = inline
        self.services: Services | None = None

    def bind(self, services: Services) -> None:
        """The services inline jobs run with (set once they are all built)."""
        self.services = services

    def enqueue(self, job: Callable, *args, **options) -> None:
        if self.inline:
            job(*args, services=self.services)
        else:
            self.queue.enqueue(job, *args, **options)

    def enqueue_in(self, seconds: float, job: Callable, *args, **options) -> None:
        """Run the job after `seconds` (RQ's scheduler: workers run with it; inline: a timer thread)."""
        if seconds <= 0:
            self.enqueue(job, *args, **options)
        elif self.inline:
            timer = threading.Timer(seconds, lambda: job(*args, services=self.services))
            timer.daemon = True
            timer.start()
        else:
            self.queue.enqueue_in(timedelta(seconds=seconds), job, *args, **options)


# --- the message path -------------------------------------------------------------------------

def drain_ready(services: Services | None = None, clock: Callable[[], float] = time.monotonic) -> int:
    """Handle ready conversations (bot/inbox.py), oldest first, until none is left; returns how many were taken.

    A conversation that fails is logged and tried again shortly (`retry_failed`; its messages wait in the
    database), so one bad conversation does not hold up the others."""
    services = _services(services)
    inbox, liveness = services.inbox, services.liveness
    inbox.start_draining()
    handover = clock() + DRAIN_HANDOVER_SECONDS
    taken = 0
    while clock() < handover:
        conversation_id = liveness.take_ready(inbox.ready_key) if liveness else inbox.take_ready()
        if conversation_id is None:
            return taken
        taken += 1
        _handle_or_retry(services, conversation_id)
    inbox.drain_again()
    return taken


def _handle_or_retry(services: Services, conversation_id: int) -> None:
    """Handle the conversation; should that fail (PostgreSQL cut, say), try it again shortly (`retry_failed`)."""
    try:
        process_conversation(conversation_id, services=services)
    except Exception:
        log.exception("conversation %s: handling failed; trying it again shortly", conversation_id)
        retry_failed(services, conversation_id)


def retry_conversation(conversation_id: int, services: Services | None = None) -> None:
    """`retry_failed`'s job: the conversation once more, and again later should it fail again."""
    _handle_or_retry(_services(services), conversation_id)


def retry_failed(services: Services, conversation_id: int) -> None:
    """A conversation whose handling failed (PostgreSQL cut, say) is tried again in 1, 2, 4 … 32 s, not left for
    `recover_stalled`'s minutes; after that it is left to it, so one bad conversation cannot keep a worker busy."""
    key = f"{services.inbox.prefix}failed:{conversation_id}"
    try:
        with services.redis.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, 600)
            attempts = pipe.execute()[0]
        if attempts <= FAILED_RETRIES:
            services.jobs.enqueue_in(2 ** (attempts - 1), retry_conversation, conversation_id)
    except Exception:  # Redis gone too: the watchdog's recovery finds the messages when it is back
        log.warning("conversation %s: could not schedule its retry", conversation_id, exc_info=True)


def process_conversation(conversation_id: int, services: Services | None = None) -> None:
    """Handle every waiting message of one conversation, in order (the lock makes this safe to run twice).

    In a worker process the replies go out on its sending threads (bot/outbox.py); inline, right here."""
    services = _services(services)
    threads = services.sending_threads
    if threads is None:
        if services.turns.process(conversation_id):  # a reply must wait: try it again with backoff
            schedule_retry(services, conversation_id)
    elif services.turns.process(conversation_id, send=False):
        threads.submit(conversation_id)


def resume_conversation(conversation_id: int, services: Services | None = None) -> None:
    """A conversation nothing held any more (its worker died, or no job came): handle what waits, send what is
    owed, and schedule the retry of a reply whose time has not come."""
    services = _services(services)
    threads = services.sending_threads
    if threads is None:
        process_conversation(conversation_id, services=services)
        return
    services.turns.process(conversation_id, send=False)
    threads.submit(conversation_id, resume=True)


def process_album(conversation_id: int, seq: int, services: Services | None = None) -> None:
    """A photo's delayed job: steps aside if a newer photo of the conversation came (bot/inbox.py)."""
    services = _services(services)
    if services.inbox.is_latest_photo(conversation_id, seq):
        _handle_or_retry(services, conversation_id)


def flush_conversation(conversation_id: int, services: Services | None = None) -> None:
    """Try the conversation's unsent replies again (after a 429, 5xx or network error), in order, under its lock.

    In a worker the sending threads do it and this job returns at once: a retry never holds up the queue."""
    services = _services(services)
    if services.sending_threads is not None:
        services.sending_threads.submit(conversation_id, scheduled=True)
        return
    with services.lock.hold(conversation_id):
        waiting = services.sending.flush(conversation_id, scheduled=True)
    if waiting:  # stopped at a reply that may go later (429, 5xx, network): try again with backoff
        schedule_retry(services, conversation_id)


def schedule_retry(services: Services, conversation_id: int) -> None:
    """Try the conversation's first unsent reply again after its backoff (`delivery.retry_delay`)."""
    delay = delivery.retry_delay(services, conversation_id)
    if delay is not None:
        _retry_in(services, delay, conversation_id)


def retry_later(services: Services, conversation_id: int) -> None:
    """After a flush that broke off (the database went away): try again after the first backoff, reading nothing."""
    try:
        _retry_in(services, backoff_seconds(float(services.settings["TWILIO_RETRY_SECONDS"]), 1), conversation_id)
    except Exception:  # Redis is away too: recover_stalled finds the replies in the database
        log.exception("conversation %s: could not schedule the retry of its replies", conversation_id)


def _retry_in(services: Services, delay: float, conversation_id: int) -> None:
    """A worker's own retry timer (bot/send_threads.py: on time, never behind drain jobs in the queue, and written
    down in its holdings should it die); elsewhere RQ's scheduler, or inline a timer thread."""
    if services.sending_threads is not None and services.liveness is not None:
        services.sending_threads.later(delay, conversation_id)
    else:
        services.jobs.enqueue_in(delay, flush_conversation, conversation_id)


def send_notice(conversation_id: int, key: str, services: Services | None = None) -> None:
    """Send one catalogue text outside the engine, e.g. "slow_down" to a sender over the inbound limit."""
    services = _services(services)
    delivery.notice(services, conversation_id, key)
    schedule_retry(services, conversation_id)


def apply_delivery_status(sid: str, status: str, error_code: str | None, tries: int = 0,
                          services: Services | None = None) -> None:
    """A status callback that arrived before its message's SID was committed: look again a little later."""
    services = _services(services)
    if not delivery.apply_status(services, sid, status, error_code) and tries < delivery.STATUS_RETRIES:
        services.jobs.enqueue_in(2.0 * (tries + 1), apply_delivery_status, sid, status, error_code, tries + 1)


# --- listings -----------------------------------------------------------------------------------

def sync_listing(listing_id: int, services: Services | None = None, channel: str | None = None) -> dict | None:
    """Bring a listing's sales channels (eBay) in line with it after a change; `channel` forces one on."""
    services = _services(services)
    return channels.sync_by_id(services.db, listing_id, publishers=services.publishers,
                               media_store=services.media_store, settings=services.settings,
                               now=services.clock(), only=channel)


def publish_channel(listing_id: int, channel: str, services: Services | None = None) -> dict | None:
    """Staff's "try again" for a channel that refused a listing: that channel, now."""
    return sync_listing(listing_id, services=services, channel=channel)


def refresh_feeds(services: Services | None = None) -> bool:
    """Rebuild the stored product feeds (marketplace/feedfiles.py) unless another worker is building them."""
    return feedfiles.refresh(_services(services))


# --- periodic (deploy/cron.py) ------------------------------------------------------------------

def send_reminders(services: Services | None = None) -> int:
    """Remind artisans, once and inside the 24-hour window, of a listing they left half-done."""
    return periodic.send_reminders(_services(services))


def recover_stalled(services: Services | None = None, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Re-queue conversations with messages or replies left half-done by a crashed worker (bot/periodic.py)."""
    services = _services(services)
    unhandled, unsent = periodic.stalled(services, older_than=older_than)
    for conversation_id in sorted(unhandled):
        services.jobs.enqueue(process_conversation, conversation_id)  # it sends what it finds pending too
    for conversation_id in sorted(unsent):
        services.jobs.enqueue(flush_conversation, conversation_id)
    if unhandled or unsent:
        log.warning("re-queued %d stalled conversations", len(unhandled | unsent))
    return len(unhandled | unsent)


def drain_spool(services: Services | None = None) -> int:
    """Record what the webhook spooled while PostgreSQL or Redis was down (bot/spool_drain.py)."""
    return periodic.drain_spool(_services(services))


def expire_raw_media(services: Services | None = None) -> int:
    """Delete voice notes and documents past the retention period."""
    return periodic.expire_raw_media(_services(services))


def forget_unanswered_consent(services: Services | None = None) -> int:
    """Erase first contacts that never answered the consent question within a week."""
    return periodic.forget_unanswered_consent(_services(services))


def sweep_media(services: Services | None = None) -> int:
    """Delete stored files nothing refers to (found by walking the store) and raw media past retention."""
    return periodic.sweep_media(_services(services))


def cleanup_upload_links(services: Services | None = None) -> int:
    """Forget expired and used SMS upload links."""
    return periodic.cleanup_upload_links(_services(services))


def sweep_stuck(services: Services | None = None) -> int:
    """Flag conversations gone quiet mid-listing (HUNAR_STUCK_AFTER_MINUTES) or waiting for a listing review."""
    services = _services(services)
    minutes = float(services.settings["STUCK_AFTER_MINUTES"])
    return handoff.sweep(services.db, services.clock, stuck_after=timedelta(minutes=minutes),
                         publish=services.events.publish)


# Every job, by name: for the cron schedule and anyone who must name one (the helpdesk's "run the sweep now").
JOBS = {job.__name__: job for job in (
    drain_ready, process_conversation, retry_conversation, resume_conversation, process_album, flush_conversation,
    send_notice, apply_delivery_status, sync_listing, publish_channel, refresh_feeds, send_reminders, recover_stalled, drain_spool, expire_raw_media,
    forget_unanswered_consent, sweep_media, cleanup_upload_links, sweep_stuck)}
