"""Recording what the webhook spooled (bot/spool.py) once PostgreSQL and Redis answer again.

Run by the webhook itself before it records a new message (so a spooled message keeps its place in the
conversation), by the periodic job `jobs.drain_spool`, and when a web process or a worker starts. Every line goes
through the inbox's own `record`, so a message recorded twice is still one row (its MessageSid is unique) and is
handled once; its conversation is then queued like a text. A crash mid-drain loses nothing: the claimed files are
deleted only after every line is recorded (from then on a message is the database's, and `recover_stalled`
finds one whose queueing failed, as it does for any recorded message).
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from redis.exceptions import ConnectionError as RedisDown, TimeoutError as RedisSlow
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError, TimeoutError as PoolTimeout
from werkzeug.datastructures import MultiDict

from bot.spool import Spool
from db.models import Message

if TYPE_CHECKING:
    from bot.inbox import InboundMessage
    from bot.services import Services

log = logging.getLogger("hunar.spool")

# An outage, not a bad line: stop, keep the files, and try again at the next drain.
OUTAGES = (OperationalError, InterfaceError, PoolTimeout, RedisDown, RedisSlow, OSError)


def drain(services: Services, *, wait: float = 0.0, budget: float = 60.0) -> int | None:
    """Record and queue the spooled messages, oldest first, for up to `budget` seconds; how many were taken, or
    None when some still wait (another drainer held the spool for longer than `wait` seconds, or the budget ran
    out: the rest is written back as one claimed file). Raises one of OUTAGES while a store is still down."""
    spool = Spool.of(services.settings)
    if not spool.pending():
        return 0
    with spool.drain_lock(wait) as held:
        if not held:
            return None
        paths = spool.claim()
        entries = sorted((e for path in paths for e in spool.read(path)), key=lambda e: e.get("at") or 0)
        conversations, taken = _record_all(services, spool, entries, time.monotonic() + budget)
        if taken < len(entries):
            spool.keep_claimed(entries[taken:])  # before the files go: a crash between them only repeats lines
        spool.done(paths)  # recorded is durable: from here on they are the database's, like any message
    if taken:
        log.warning("recorded %d spooled messages of %d conversations", taken, len(conversations))
    _queue_all(services, conversations)
    return taken if taken == len(entries) else None


def _queue_all(services: Services, conversations: set[int]) -> None:
    """Queue each conversation; without Redis they wait as recorded messages do, for `recover_stalled`."""
    try:
        for conversation_id in sorted(conversations):
            services.inbox.queue(conversation_id)
    except (RedisDown, RedisSlow) as exc:
        log.warning("spooled messages recorded, not queued (%s): recover_stalled takes them", type(exc).__name__)


def drain_quietly(services: Services, budget: float = 60.0) -> int:
    """`drain` for start-up and the periodic job: an outage that is still on is logged, not raised."""
    try:
        return drain(services, wait=5.0, budget=budget) or 0
    except OUTAGES as exc:
        log.warning("spool not drained yet: %s: %s", type(exc).__name__, str(exc)[:200])
        return 0


def _record_all(services: Services, spool: Spool, entries: list[dict], deadline: float) -> tuple[set[int], int]:
    """Record entries until the deadline; the conversations with a message waiting for its turn, and how many
    entries were taken."""
    conversations: set[int] = set()
    for taken, entry in enumerate(entries):
        if time.monotonic() > deadline:
            return conversations, taken
        conversation_id = _record_or_reject(services, spool, entry)
        if conversation_id is not None:
            conversations.add(conversation_id)
    return conversations, len(entries)


def _record_or_reject(services: Services, spool: Spool, entry: dict) -> int | None:
    """`_record`, but a line the inbox refuses for another reason than an outage is set aside."""
    try:
        return _record(services, entry)
    except OUTAGES:
        raise
    except Exception:  # it would block every later drain: set it aside, loudly
        log.exception("a spooled message could not be recorded; kept in %s", spool.path)
        spool.reject(entry)
        return None


def _record(services: Services, entry: dict) -> int | None:
    """Record one entry; its conversation when the message still waits for its turn (also after a repeat)."""
    msg = message(entry)
    if msg is None:
        return None
    recorded = services.inbox.record(msg)
    if recorded is not None:
        return recorded.conversation_id
    return _waiting_conversation(services, msg.sid)  # recorded before (a crashed drain, or the store came back)


def message(entry: dict) -> InboundMessage | None:
    """The spooled form as the webhook would have handed it to the inbox, at the time it came."""
    from bot.web.webhook import parse  # the webhook imports this module: its parser is taken when needed

    msg = parse(MultiDict([tuple(pair) for pair in entry["form"]]), entry.get("token"))
    if msg is None:
        return None
    at = entry.get("at")
    return replace(msg, received_at=datetime.fromtimestamp(at, timezone.utc)) if at else msg


def _waiting_conversation(services: Services, sid: str) -> int | None:
    """The conversation of an already recorded message that nobody has handled yet; None once it was."""
    with services.db.session() as session:
        row = session.execute(select(Message.conversation_id, Message.status)
                              .where(Message.twilio_sid == sid)).first()
    return row.conversation_id if row is not None and row.status == "received" else None
