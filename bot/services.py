"""Build the app's services from settings, once per app; a test may hand in any of them instead (keywords of
`build`: a misspelled one is an error, not ignored)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Union

import fakeredis
import redis
from rq import Queue

import nlu
from bot import jobs
from bot.effects import EffectRunner
from bot.erasure import Eraser
from bot.inbox import Inbox
from bot.jobs import Jobs, queue_name
from bot.liveness import Liveness
from bot.locks import ConversationLock
from bot.send_threads import SendingThreads
from bot.media import MediaFetcher, MediaIntake, NoFetcher
from bot.outbound import Outbox
from bot.outbox import Sending
from bot.telemetry import LiveEvents, Metrics, WriteBatch
from bot.turns import Turns
from bot.twilio_api import UnconfiguredOutbox
from bot.web.simulator import RecordingOutbox
from bot.web.upload import UploadLinks
from db import Database
from marketplace import ebay, listings, photos
from marketplace.channels import ListingPublisher
from marketplace.photos.store import MediaStore

Redis = Union[redis.Redis, fakeredis.FakeRedis]
Reader = Callable[..., dict]  # read(text, step=None) -> the NLU's reading (nlu.parse's shape)


@dataclass
class Services:
    """Everything the views and jobs need, built once per app."""

    settings: dict
    db: Database
    redis: Redis
    clock: Callable[[], datetime]
    media_store: MediaStore
    outboxes: dict[str, Outbox]  # "twilio", "simulator"
    publishers: dict[str, ListingPublisher]  # sales channels with their own copy: {"ebay": EbayPublisher}
    metrics: Metrics
    events: LiveEvents
    jobs: Jobs
    lock: ConversationLock
    intake: MediaIntake
    parse: Reader
    effects: EffectRunner
    sending: Sending
    turns: Turns
    inbox: Inbox
    sending_threads: SendingThreads | None  # a worker's; None inline or with SEND_THREADS=0
    # A worker process's heartbeat and holdings (`python -m bot.worker` sets it); None in web processes and inline.
    liveness: Liveness | None = None

    @property
    def simulator_outbox(self) -> RecordingOutbox:
        return self.outboxes["simulator"]

    def queue_feed_refresh(self) -> None:
        """Have a worker rebuild the stored feeds (marketplace/feedfiles.py)."""
        self.jobs.enqueue(jobs.refresh_feeds)


# The clock every component is handed (tests hand in their own); a partial, so no code of ours runs to read it.
utc_now = functools.partial(datetime.now, timezone.utc)


def make_redis(url: str | None) -> Redis:
    """A client for REDIS_URL, or an in-process Redis (fakeredis) when there is no server."""
    if url:
        return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30)
    return fakeredis.FakeRedis(server=fakeredis.FakeServer())


def nlu_reader(settings: dict, parse: Reader | None = None) -> Reader:
    """`read(text, step=None)`: the built-in NLU (or `parse`), helped by a Rasa server with NLU_BACKEND=rasa."""
    base = parse or nlu.parse
    if settings.get("NLU_BACKEND") == "rasa":
        from nlu.rasa_backend import RasaBackend

        return RasaBackend(settings.get("RASA_URL"), timeout=float(settings.get("RASA_TIMEOUT_SECONDS") or 0.5),
                           builtin=base)
    return base


def _outboxes(settings: dict, client: Redis, clock, given: dict[str, Outbox] | None) -> dict[str, Outbox]:
    """The simulator's recorder and Twilio (or what says Twilio is not configured), then any handed in."""
    outboxes: dict[str, Outbox] = {"simulator": RecordingOutbox(), "twilio": UnconfiguredOutbox()}
    if settings.get("TWILIO_ENABLED") and "twilio" not in (given or {}):
        from bot.twilio_api import TwilioSender

        outboxes["twilio"] = TwilioSender.from_settings(settings, client, clock=clock)
    return {**outboxes, **(given or {})}


def _intake(settings: dict, media_store: MediaStore, fetcher: MediaFetcher | None) -> MediaIntake:
    """Media intake with Twilio's fetcher when Twilio is on."""
    if fetcher is None and settings.get("TWILIO_ENABLED"):
        from bot.twilio_media import TwilioMediaFetcher

        fetcher = TwilioMediaFetcher.from_settings(settings)
    return MediaIntake(media_store, photos.process_photo, fetcher or NoFetcher(),
                       max_image_bytes=int(settings["MEDIA_MAX_IMAGE_BYTES"]),
                       max_other_bytes=int(settings["MEDIA_MAX_OTHER_BYTES"]))


def build(settings: dict, *, db: Database | None = None, redis: Redis | None = None,
          clock: Callable[[], datetime] | None = None, media_store: MediaStore | None = None,
          outboxes: dict[str, Outbox] | None = None, fetcher: MediaFetcher | None = None,
          parse: Reader | None = None, publishers: dict[str, ListingPublisher] | None = None) -> Services:
    """Services from settings, each of these keywords replaceable by one handed in — the seam tests use."""
    # A worker's sending threads each hold a connection while Twilio answers (100-300 ms): room for all of them,
    # its job thread and its periodic jobs. Pools open connections only as they are needed.
    db = db or Database(settings["DATABASE_URL"], pool_size=max(5, int(settings["SEND_THREADS"]) + 2))
    client = redis or make_redis(settings.get("REDIS_URL"))
    clock = clock or utc_now
    prefix = settings["REDIS_PREFIX"]
    media_store = media_store or photos.LocalMediaStore(
        Path(settings["INSTANCE_PATH"]) / "media", base_url=settings["PUBLIC_BASE_URL"].rstrip("/") + "/media")
    outboxes = _outboxes(settings, client, clock, outboxes)
    writes = WriteBatch(client)
    metrics, events = Metrics(client, prefix, writes), LiveEvents(writes, prefix)
    lock = ConversationLock(client, timeout=float(settings["LOCK_TIMEOUT_SECONDS"]),
                            wait=float(settings["LOCK_WAIT_SECONDS"]), prefix=prefix)
    intake = _intake(settings, media_store, fetcher)
    effects = EffectRunner(review=bool(int(settings["LISTING_REVIEW"])), media_store=media_store,
                           eraser=Eraser(media_store, release=getattr(intake.fetcher, "release", None),
                                         secret=settings["SECRET_KEY"] or ""), settings=settings)
    sending = Sending(db=db, lock=lock, outboxes=outboxes, metrics=metrics, events=events, clock=clock,
                      retry_seconds=float(settings["TWILIO_RETRY_SECONDS"]))
    turns = Turns(db=db, lock=lock, intake=intake, effects=effects, parse=nlu_reader(settings, parse), clock=clock,
                  metrics=metrics, sending=sending,
                  upload_link=UploadLinks(settings["PUBLIC_BASE_URL"], hours=float(settings["UPLOAD_LINK_HOURS"])).link_for,
                  desk_hours=desk_hours(settings.get("DESK_HOURS")))
    inline = bool(settings["JOBS_INLINE"])
    job_queue = Jobs(Queue(queue_name(settings), connection=client, is_async=not inline), inline=inline)
    inbox = Inbox(db=db, redis=client, metrics=metrics, events=events, settings=settings, clock=clock)
    threads = int(settings["SEND_THREADS"])
    services = Services(
        settings=settings, db=db, redis=client, clock=clock, media_store=media_store, outboxes=outboxes,
        publishers=publishers or {"ebay": ebay.publisher_from(settings)}, metrics=metrics, events=events,
        jobs=job_queue, lock=lock, intake=intake, parse=turns.parse, effects=effects, sending=sending, turns=turns,
        inbox=inbox, sending_threads=None)
    if not inline and threads > 0:
        services.sending_threads = SendingThreads(services, threads)
    job_queue.bind(services)
    inbox.jobs, inbox.turns = job_queue, turns
    listings.on_change(db, lambda listing_id: job_queue.enqueue(jobs.sync_listing, listing_id))
    return services


def desk_hours(setting) -> tuple[int, int] | None:
    """DESK_HOURS "10-18" as (10, 18); None when not set (or not two hours of the day)."""
    hours = [part.strip() for part in str(setting or "").split("-")]
    if len(hours) != 2 or not all(part.isdigit() and int(part) < 24 for part in hours):
        return None
    return int(hours[0]), int(hours[1])
