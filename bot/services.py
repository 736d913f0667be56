"""Build the app's services from settings; a test may hand in any of them instead."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import fakeredis
import redis
from rq import Queue

import nlu
from bot.dispatcher import Dispatcher
from bot.effects import EffectRunner
from bot.erasure import Eraser
from bot.jobs import Jobs, queue_name
from bot.locks import ConversationLock
from bot.media import MediaIntake, NoFetcher
from bot.outbox import RecordingOutbox, UnconfiguredOutbox
from bot.metrics import Metrics
from bot.upload import UploadLinks
from bot.writes import WriteBatch
from db import Database
from marketplace import channels, ebay, photos


@dataclass
class Services:
    """Everything the views and jobs need, built once per app."""

    settings: dict
    db: Database
    redis: Any
    jobs: Jobs
    clock: Callable[[], datetime]
    media_store: Any
    outboxes: dict
    dispatcher: Dispatcher
    extra: dict = field(default_factory=dict)
    publishers: dict = field(default_factory=dict)  # sales channels with their own copy: {"ebay": EbayPublisher}
    metrics: Any = None

    @property
    def simulator_outbox(self) -> RecordingOutbox:
        return self.outboxes["simulator"]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def make_redis(url: str | None):
    """A client for REDIS_URL, or an in-process Redis (fakeredis) when there is no server."""
    if url:
        return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30)
    return fakeredis.FakeRedis(server=fakeredis.FakeServer())


def nlu_reader(settings: dict, parse: Callable[..., dict] | None = None) -> Callable[..., dict]:
    """`read(text, step=None, expect=None)`: the built-in NLU (or `parse`), helped by a Rasa server with
    NLU_BACKEND=rasa."""
    base = parse or nlu.parse
    if settings.get("NLU_BACKEND") == "rasa":
        from nlu.rasa_backend import RasaBackend

        return RasaBackend(settings.get("RASA_URL"), timeout=float(settings.get("RASA_TIMEOUT_SECONDS") or 0.5),
                           builtin=base)
    return lambda text, step=None, expect=None: base(text, expect=expect) if expect else base(text)


def build(settings: dict, given: dict | None = None) -> Services:
    """Services from settings, each replaceable by one handed in (`given`) — the seam tests use."""
    given = dict(given or {})
    # A worker's sending threads each hold a connection while Twilio answers (100-300 ms): room for all of them,
    # its job thread and its periodic jobs. Pools open connections only as they are needed.
    pool = max(5, int(settings["SEND_THREADS"]) + 2)
    db = given.pop("db", None) or Database(settings["DATABASE_URL"], pool_size=pool)
    client = given.pop("redis", None) or make_redis(settings.get("REDIS_URL"))
    clock = given.pop("clock", None) or utc_now
    instance = Path(settings["INSTANCE_PATH"])
    media_store = given.pop("media_store", None) or photos.LocalMediaStore(
        instance / "media", base_url=settings["PUBLIC_BASE_URL"].rstrip("/") + "/media")
    twilio_on = bool(settings.get("TWILIO_ENABLED"))
    outboxes = {"simulator": RecordingOutbox(), "twilio": UnconfiguredOutbox()}
    if twilio_on and "twilio" not in given.get("outboxes", {}):
        from bot.twilio_sender import TwilioSender

        outboxes["twilio"] = TwilioSender.from_settings(settings, client, clock=clock)
    outboxes.update(given.pop("outboxes", {}))
    fetcher = given.pop("fetcher", None)
    if fetcher is None and twilio_on:
        from bot.twilio_media import TwilioMediaFetcher

        fetcher = TwilioMediaFetcher.from_settings(settings)
    intake = MediaIntake(media_store, photos.process_photo, fetcher or NoFetcher(),
                         max_image_bytes=int(settings["MEDIA_MAX_IMAGE_BYTES"]),
                         max_other_bytes=int(settings["MEDIA_MAX_OTHER_BYTES"]))
    lock = ConversationLock(client, timeout=float(settings["LOCK_TIMEOUT_SECONDS"]),
                            wait=float(settings["LOCK_WAIT_SECONDS"]), prefix=settings["REDIS_PREFIX"])

    writes = WriteBatch(client)
    events = settings["REDIS_PREFIX"] + "events"

    def publish(kind: str, data: dict) -> None:
        """Tell live helpdesk pages; inside a batch the event leaves with it, after the work is committed."""
        payload = json.dumps({"kind": kind, **data})
        writes.write(lambda pipe: pipe.publish(events, payload))

    metrics = Metrics(client, settings["REDIS_PREFIX"], writes)
    dispatcher = given.pop("dispatcher", None) or Dispatcher(
        db=db, lock=lock, outboxes=outboxes, intake=intake,
        effects=EffectRunner(review=bool(int(settings["LISTING_REVIEW"])), media_store=media_store,
                             eraser=Eraser(media_store, release=getattr(intake.fetcher, "release", None),
                                           secret=settings["SECRET_KEY"] or "")),
        parse=nlu_reader(settings, given.pop("parse", None)), clock=clock, publish=publish,
        upload_link=UploadLinks(settings["PUBLIC_BASE_URL"], hours=float(settings["UPLOAD_LINK_HOURS"])).link_for,
        metrics=metrics)
    holder: dict = {}
    publishers = given.pop("publishers", None) or {"ebay": ebay.publisher_from(settings)}
    channels.watch(db.sessions, lambda listing_id: holder["services"].jobs.enqueue("sync_listing", listing_id))
    inline = bool(settings["JOBS_INLINE"])
    jobs = Jobs(Queue(queue_name(settings), connection=client, is_async=not inline), inline=inline,
                services_getter=lambda: holder["services"])
    services = Services(settings=settings, db=db, redis=client, jobs=jobs, clock=clock, media_store=media_store,
                        outboxes=outboxes, dispatcher=dispatcher, extra=given, publishers=publishers,
                        metrics=metrics)
    holder["services"] = services
    return services
