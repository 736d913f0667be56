"""The inbox: every door (webhook, simulator, upload page) hands its message here, to be recorded once and queued.

What happens to a recorded message depends on the door, and is decided here only:
- Twilio: counted against the sender's limit (past it the message is kept but skipped, with one "slow down"
  reply); a photo waits for the rest of its album (`ALBUM_DEBOUNCE_SECONDS` after the latest photo); a text marks
  its conversation ready for a drain job in the same Redis round trip as the count.
- the simulator: handled at once in the request, so the page gets the replies in its answer.
- the upload page: queued like a text (the whole album came in one request).

A conversation with a message to handle is "ready": a member of one Redis sorted set, scored by when it became
ready. Drain jobs (`bot.jobs.drain_ready`) take ready conversations oldest first until none is left, so under
load a running job takes each new message as it comes and one RQ job serves many messages; when it is quiet,
every message still gets a job of its own at once.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, NamedTuple

from bot import conversations as store
from bot.albums import AlbumClock
from bot.filetypes import kind_of
from bot.jobs import Jobs, drain_ready, process_album, process_conversation, send_notice
from bot.turns import Turns
from bot.telemetry import LiveEvents, Metrics, log_message
from db import Database
from db.models import Conversation, Message

log = logging.getLogger("hunar.inbox")

CHANNELS = ("whatsapp", "sms")
SIMULATED = "sim:"  # the simulator's own address space: "sim:+9198…" is never a real artisan's address
# The flag holds the id of its queued drain job and only has to outlive that job's wait in the queue; should it
# outlive the job itself, a worker's watchdog (bot/heal.py) clears it within a second or two.
DRAIN_QUEUED_TTL = 10


@dataclass(frozen=True)
class Attachment:
    """A piece of media: a URL to fetch (Twilio), or bytes already kept in the media store (simulator, upload)."""

    content_type: str
    url: str | None = None
    staged: str | None = None  # media store key of bytes waiting for their job

    @property
    def kind(self) -> str:
        """"image", "audio", "video" or "document", from the declared type (the photo check sniffs the bytes)."""
        return kind_of(self.content_type)


@dataclass(frozen=True)
class InboundMessage:
    """What an artisan sent: the address to answer, text, media, and the ids that make it exactly-once."""

    address: str  # "whatsapp:+9198…", "whatsapp:IN.abc…", "+9198…" (SMS) or "sim:+9198…" (the simulator)
    channel: str  # "whatsapp" | "sms"
    text: str = ""
    media: tuple[Attachment, ...] = ()
    sid: str | None = None  # Twilio's MessageSid, or one the simulator makes
    idempotency_token: str | None = None
    profile_name: str | None = None
    wa_id: str | None = None
    button: str | None = None
    location: tuple[float, float] | None = None
    received_at: datetime | None = None
    source: str = "twilio"  # "twilio" | "simulator" | "upload": the door it came by
    extra: dict = field(default_factory=dict)

    @property
    def phone(self) -> str | None:
        """The E.164 number behind the address, when the address is a number (not a BSUID, not the simulator's)."""
        if self.address.startswith(SIMULATED):
            return None  # a simulated artisan is never matched to a real one by number
        raw = self.address.split(":", 1)[-1]
        if is_number(raw):
            return raw
        return _wa_number(self.wa_id)

    @property
    def is_album_photo(self) -> bool:
        """Only pictures: it may be one of several sent together."""
        return bool(self.media) and all(a.kind == "image" for a in self.media)


def is_number(raw_id: str) -> bool:
    """True for "+" and digits: a phone number, not a WhatsApp BSUID."""
    return raw_id.startswith("+") and raw_id[1:].isdigit()


def _wa_number(wa_id: str | None) -> str | None:
    """The number WhatsApp's id (its digits) stands for."""
    return "+" + wa_id if wa_id and wa_id.isdigit() else None


class Recorded(NamedTuple):
    """A message the inbox kept: its conversation and its own id."""

    conversation_id: int
    message_id: int


class InboundLimit:
    """At most `limit` messages per `window` seconds are handled per sender identity (a fixed window).

    Past that, messages are still recorded (nothing is lost; staff see them) but marked "skipped" instead of
    being run through the engine; the first one over the limit gets a single "please slow down" reply.
    """

    def __init__(self, *, limit: int, window: float, prefix: str, clock: Callable[[], float]):
        self.clock = clock  # seconds as a float
        self.limit = limit
        self.window = max(1, int(window))
        self.prefix = prefix

    def add(self, pipe, identity: str) -> None:
        """Count one message from `identity` on the caller's pipeline: the count is the first of the results."""
        key = f"{self.prefix}rl:in:{identity}:{int(self.clock()) // self.window}"
        pipe.incr(key)
        pipe.expire(key, self.window + 5)

    def over(self, count: int) -> bool:
        return self.limit > 0 and count > self.limit

    def first_over(self, count: int) -> bool:
        return self.limit > 0 and count == self.limit + 1


class Inbox:
    """Records each message once and sees that its conversation is handled, in order, by the door's rules."""

    def __init__(self, *, db: Database, redis, metrics: Metrics, events: LiveEvents, settings: dict,
                 clock: Callable[[], datetime]):
        self.db = db
        self.redis = redis
        self.metrics = metrics
        self.events = events
        self.clock = clock
        self.prefix = settings["REDIS_PREFIX"]
        self.album_delay = float(settings["ALBUM_DEBOUNCE_SECONDS"])
        self.albums = AlbumClock(redis, self.prefix, self.album_delay)
        self.limit = InboundLimit(limit=int(settings["INBOUND_RATE_LIMIT"]),
                                  window=float(settings["INBOUND_RATE_WINDOW_SECONDS"]), prefix=self.prefix,
                                  clock=lambda: self.clock().timestamp())
        self.jobs: Jobs | None = None  # bound once they exist (bot.services.build)
        self.turns: Turns | None = None

    # --- recording ----------------------------------------------------------------------------

    def record(self, msg: InboundMessage) -> Recorded | None:
        """Record an inbound message exactly once; None for a repeat (Twilio redelivers)."""
        now = msg.received_at or self.clock()
        with self.db.autocommit() as connection:
            ids = store.record_known(connection, msg, now) or store.record_new(connection, msg, now)
        if ids is None:  # a changed profile, another door of a known artisan, a repeat (or SQLite's first contact)
            with self.db.session() as session:
                row = store.record_inbound(session, msg, now)
                if row is None:
                    log.info("duplicate inbound %s ignored", msg.sid)
                    return None
                ids = (row.conversation_id, row.id)
        log_message("in", msg.channel, msg.address, msg.text, len(msg.media), msg.source)
        self.metrics.inc("messages", direction="in", channel=msg.channel)
        self.events.publish("message", {"conversation_id": ids[0], "message_id": ids[1]})
        return Recorded(*ids)

    def accept(self, msg: InboundMessage, before_queueing: Callable[[], None] = lambda: None) -> Recorded | None:
        """Record the message and queue its conversation by its door's rules; None for a repeat.

        `before_queueing` runs between the two (the webhook stops its clock there)."""
        recorded = self.record(msg)
        if recorded is None:
            return None
        before_queueing()
        if msg.source == "simulator":
            self.turns.process(recorded.conversation_id)  # in the request: the page shows the replies at once
            return recorded
        try:
            if msg.source == "twilio":
                self._from_twilio(msg, recorded)
            else:
                self.queue(recorded.conversation_id)
        except Exception:  # recorded is what matters: the next job of this conversation, or recovery, takes it
            log.exception("message %s recorded but not queued", recorded.message_id)
        return recorded

    def _from_twilio(self, msg: InboundMessage, recorded: Recorded) -> None:
        """Count the sender's message; a text marks its conversation ready in the same round trip as the count,
        and the counters and live event of the request go with them. Should the count be over the limit, a
        drain job may look at the conversation before `_skip` marks the message: at worst that message is
        answered."""
        together = not msg.is_album_photo and not self.jobs.inline

        drain_id = uuid.uuid4().hex

        def count_and_mark(pipe):
            self.limit.add(pipe, msg.address)
            if together:
                self._mark_ready(pipe, recorded.conversation_id, drain_id)

        results = self.metrics.writes.send(count_and_mark)
        count = int(results[0])
        if self.limit.over(count):
            self._skip(recorded, count)
        elif msg.is_album_photo:
            self._wait_for_album(recorded.conversation_id)
        elif together:
            self._drain_if_first(results[-1], drain_id)
        else:
            self.queue(recorded.conversation_id)

    def _skip(self, recorded: Recorded, count: int) -> None:
        """Over the sender's limit: keep the message for the record, but the bot will not handle it; the first
        message over the limit gets a "slow down" reply."""
        with self.db.session() as session:
            message = session.get(Message, recorded.message_id)
            if message is not None and message.status == "received":
                message.status, message.error_code = "skipped", "rate_limited"
                store.note_inbound(session.get(Conversation, message.conversation_id), message)  # it opens the window
        if self.limit.first_over(count):
            self.jobs.enqueue(send_notice, recorded.conversation_id, "slow_down")

    # --- albums -------------------------------------------------------------------------------

    def _wait_for_album(self, conversation_id: int) -> None:
        """A photo was recorded: (re)start the conversation's quiet-time clock (bot/albums.py)."""
        if self.album_delay <= 0:
            self.queue(conversation_id)
            return
        seq = self.albums.bump(conversation_id)
        self.jobs.enqueue_in(self.album_delay, process_album, conversation_id, seq)

    def is_latest_photo(self, conversation_id: int, seq: int) -> bool:
        """True when no photo came after the one that scheduled `seq`."""
        return self.albums.is_latest(conversation_id, seq)

    # --- the ready set ------------------------------------------------------------------------

    @property
    def ready_key(self) -> str:
        return f"{self.prefix}ready"

    @property
    def drain_key(self) -> str:
        return f"{self.prefix}drain:queued"

    def queue(self, conversation_id: int) -> None:
        """Mark the conversation ready, and queue a drain job unless one is queued and not yet started.

        One round trip when a job is already waiting. The flag is cleared by the job before it takes its first
        conversation, so a conversation marked ready before the flag was seen is always taken by some job.
        Inline (no Redis server), the conversation is handled right away."""
        if self.jobs.inline:
            self.jobs.enqueue(process_conversation, conversation_id)
            return
        drain_id = uuid.uuid4().hex
        with self.redis.pipeline(transaction=False) as pipe:
            self._mark_ready(pipe, conversation_id, drain_id)
            previous = pipe.execute()[-1]
        self._drain_if_first(previous, drain_id)

    def _mark_ready(self, pipe, conversation_id: int, drain_id: str) -> None:
        """`queue`'s Redis part on the caller's pipeline; the last result (the flag's old value: nothing, or ours
        when redis-py re-sent the pipeline after a dropped connection) goes to `_drain_if_first`."""
        pipe.zadd(self.ready_key, {str(conversation_id): self.clock().timestamp()}, nx=True)
        pipe.set(self.drain_key, drain_id, nx=True, ex=DRAIN_QUEUED_TTL, get=True)

    def _drain_if_first(self, previous, drain_id: str) -> None:
        """Queue the drain job whose flag we just set, under the id it holds; the flag must not stay without it."""
        if previous not in (None, drain_id, drain_id.encode()):
            return
        try:
            self.jobs.enqueue(drain_ready, job_id=drain_id)
        except Exception:
            self.redis.delete(self.drain_key)
            raise

    def start_draining(self) -> None:
        """A drain job starts: clear the flag before taking any conversation (see `queue`)."""
        self.redis.delete(self.drain_key)

    def take_ready(self) -> int | None:
        """The conversation ready longest, taken out of the set; None when none is ready."""
        popped = self.redis.zpopmin(self.ready_key)
        return int(popped[0][0]) if popped else None

    def drain_again(self) -> None:
        """A drain job hands over with conversations still ready: queue another unless one is waiting."""
        if self.waiting():
            drain_id = uuid.uuid4().hex
            self._drain_if_first(self.redis.set(self.drain_key, drain_id, nx=True, ex=DRAIN_QUEUED_TTL, get=True),
                                 drain_id)

    def waiting(self) -> int:
        """Conversations marked ready and not yet taken by a drain job."""
        return 0 if self.jobs.inline else int(self.redis.zcard(self.ready_key))
