"""The outbox: replies written as pending messages in the turn's transaction, then sent in order, each recorded as
it leaves, through a channel's `Outbox` (Twilio, or the simulator's recorder).

Twilio answers `messages.create` in 100–300 ms; a worker that sent each reply itself could handle only a handful
of messages a second. So in a worker the job commits the replies it wrote and hands the conversation to a few
sending threads (`bot.send_threads.SendingThreads`); a sending thread takes the conversation's lock and sends every pending reply
in order (`Sending.flush`). Whoever flushes sends all of them, so two flushes of one conversation, from any
process, cannot reorder replies; a worker killed with replies still pending leaves them to
`periodic.recover_stalled`. Each send commits its intent first and an interrupted one is looked up at Twilio
before it is sent again (bot/send_once.py); a failed one waits for its time (bot/send_backoff.py), and the
conversation's later replies wait behind it.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from bot import send_once
from bot.erasure import ERASED
from bot.locks import ConversationLock
from bot.outbound import OutboundMessage, Outbox, SendError, SendResult
from bot.send_backoff import MAX_SEND_ATTEMPTS  # noqa: F401  (named here too)
from bot.send_failures import FailedSends
from bot.telemetry import LiveEvents, Metrics, log_message
from db import Database, aware
from db.models import Artisan, Conversation, Message
from flows import types as t

log = logging.getLogger("hunar.outbox")

MAX_BODY = 1600  # Twilio's limit for one message body, on WhatsApp and SMS alike


def split_body(text: str, limit: int = MAX_BODY, last_limit: int | None = None) -> list[str]:
    """`text` as consecutive parts of at most `limit` characters (`last_limit` for the last one), broken at a
    paragraph, else a line, else a space: a long reply arrives as several messages in order, nothing cut off."""
    last_limit = limit if last_limit is None else last_limit
    parts, rest = [], text
    while len(rest) > last_limit:
        window = rest[:min(limit, len(rest) - 1)]  # a break inside, so that something is left for the last part
        cut = next((i for i in (window.rfind("\n\n"), window.rfind("\n"), window.rfind(" ")) if i > 0), len(window))
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts + [rest]


def numbered(text: str, buttons) -> str:
    """Buttons (`{"title": …}`) as a numbered list under the text, where a channel has no buttons of its own; the
    engine takes "1", "2"… or the title as the choice."""
    if not buttons:
        return text
    return text + "\n\n" + "\n".join(f"{n}. {b['title']}" for n, b in enumerate(buttons, 1))


# --- replies written ------------------------------------------------------------------------------

def reply_row(conv: Conversation, to: str, via: str, reply: t.Reply, now: datetime, *, in_reply_to: int | None,
              author: str = "bot", staff_id: int | None = None) -> dict:
    """A reply as the columns of a pending outbound message."""
    extra = {"to": to, "via": via, "in_reply_to": in_reply_to}
    if reply.buttons:
        extra["buttons"] = [{"id": b.id, "title": b.title} for b in reply.buttons]
    return {"conversation_id": conv.id, "direction": "out", "channel": conv.channel, "author": author,
            "staff_id": staff_id, "body": reply.text, "media": [{"url": u} for u in reply.media], "extra": extra,
            "status": "pending", "attempts": 0, "created_at": now}


def reply_rows(conv: Conversation, to: str, via: str, reply: t.Reply, now: datetime, *,
               in_reply_to: int | None) -> list[dict]:
    """A reply as one pending message, or several in order when it is longer than one message may be."""
    return [reply_row(conv, to, via, part, now, in_reply_to=in_reply_to) for part in _parts(reply)]


def _parts(reply: t.Reply) -> list[t.Reply]:
    """The reply as the messages it is sent as: the media go with the first part, the buttons (numbered under the
    text) with the last."""
    room = len(numbered("", [{"title": b.title} for b in reply.buttons]))
    parts = split_body(reply.text, MAX_BODY, MAX_BODY - room)
    if len(parts) == 1:
        return [reply]
    first, *middle, last = parts
    return [t.Reply(first, media=reply.media), *map(t.Reply, middle), t.Reply(last, buttons=reply.buttons)]


_messages = Message.__table__
UNSENT = ("pending", "sending")  # a reply still owed: never tried or failed ("pending"), or its outcome unknown
_INSERT_REPLY = insert(_messages)


def insert_replies(session: Session, replies: list[dict]) -> None:
    """The replies of one turn, in order, as one INSERT run for each (one round trip on PostgreSQL); nothing in the
    turn needs them as objects. Ids follow the list's order, which is the order they are sent in."""
    if replies:
        session.connection().execute(_INSERT_REPLY, replies)


def queue_reply(session: Session, conv: Conversation, to: str, via: str, reply: t.Reply, now: datetime, *,
                in_reply_to: int | None, author: str = "bot", staff_id: int | None = None) -> Message:
    """Add one reply (staff's, a notice) to the session as a pending message; it is sent after the commit."""
    row = Message(**reply_row(conv, to, via, reply, now, in_reply_to=in_reply_to, author=author,
                              staff_id=staff_id))
    session.add(row)
    return row


# --- replies sent ---------------------------------------------------------------------------------

@dataclass
class _Recipient:
    """Whom a conversation's pending replies go to, as `flush` found them (opted_out_at follows a block)."""

    artisan_id: int
    address: str
    opted_out_at: datetime | None
    last_inbound_at: datetime | None

    @classmethod
    def of(cls, row) -> "_Recipient":
        """The recipient a row of `_PENDING` names."""
        return cls(row.artisan_id, row.address, row.opted_out_at, row.last_inbound_at)

    @property
    def erased(self) -> bool:
        """The artisan was erased: their replies forget where they went once sent."""
        return self.address.startswith(ERASED)

    def refused(self, created_at: datetime) -> bool:
        """True for a reply written after the artisan opted out."""
        return self.opted_out_at is not None and aware(created_at) > aware(self.opted_out_at)


# Statements every reply runs, built once with bound parameters (building them per call cost more than running).
_PENDING = (select(Message.id, Message.channel, Message.body, Message.media, Message.extra, Message.attempts,
                   Message.created_at, Message.status, Message.idempotency_token, Conversation.last_inbound_at,
                   Artisan.id.label("artisan_id"),
                   Artisan.address, Artisan.opted_out_at)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .join(Artisan, Artisan.id == Conversation.artisan_id)
            .where(Message.conversation_id == bindparam("conversation_id"), Message.direction == "out",
                   Message.status.in_(UNSENT)).order_by(Message.id))
_SENT = (update(_messages).where(_messages.c.id == bindparam("row_id"))
         .values(status=bindparam("status"), twilio_sid=bindparam("twilio_sid"),
                 error_code=bindparam("error_code"), attempts=bindparam("attempts")))
_SKIPPED = (update(_messages).where(_messages.c.id == bindparam("row_id"))
            .values(status="skipped", error_code="opted_out"))
# Claimed only as it was read: a flush that finds the reply changed meanwhile leaves it to whoever changed it.
_INTENT = (update(_messages).where(_messages.c.id == bindparam("row_id"), _messages.c.status == bindparam("was"),
                                   _messages.c.idempotency_token.is_not_distinct_from(bindparam("token_was")))
           .values(status="sending", idempotency_token=bindparam("token"), extra=bindparam("extra")))
_FORGET_TO = update(_messages).where(_messages.c.id == bindparam("row_id")).values(extra={})
_SENT_AT = (update(Conversation.__table__).where(Conversation.__table__.c.id == bindparam("conversation_id"))
            .values(last_outbound_at=bindparam("now"), updated_at=bindparam("now")))


def _outbound(row, to: _Recipient) -> OutboundMessage:
    """A pending reply (a row of `_PENDING`) as the message its channel sends."""
    extra = row.extra or {}
    return OutboundMessage(message_id=row.id, address=extra.get("to") or to.address, channel=row.channel,
                           text=row.body, buttons=tuple(extra.get("buttons", ())), media_urls=_media_urls(row.media),
                           in_reply_to=extra.get("in_reply_to"), template=extra.get("template"),
                           last_inbound_at=to.last_inbound_at)


def wait_left(extra: dict | None, now: datetime) -> float | None:
    """Seconds until a failed reply's `retry_at` (bot/send_backoff.py), 0 when due; None when it has none."""
    stamp = (extra or {}).get("retry_at")
    return None if not stamp else max(0.0, (datetime.fromisoformat(stamp) - aware(now)).total_seconds())


def _media_urls(media: list[dict] | None) -> tuple[str, ...]:
    """The URLs of a reply's media (the pictures it shows)."""
    return tuple(item["url"] for item in media or [] if item.get("url"))


class Sending(FailedSends):
    """Sends a conversation's pending replies in order through their channel's Outbox, recording each."""

    def __init__(self, *, db: Database, lock: ConversationLock, outboxes: dict[str, Outbox], metrics: Metrics,
                 events: LiveEvents, clock: Callable[[], datetime], retry_seconds: float = 2.0):
        self.db = db
        self.lock = lock
        self.outboxes = outboxes
        self.metrics = metrics
        self.events = events
        self.clock = clock
        self.retry_seconds = retry_seconds  # the first backoff after a failed send (doubles each time)

    def flush(self, conversation_id: int, *, scheduled: bool = False) -> bool:
        """Send the conversation's pending replies in order; stop at the first that must wait for a retry.

        True when it stopped at one (a transient failure: the caller schedules the retry). Each reply's record
        commits on its own as it is written, before the next reply leaves. A failed reply whose time has not come
        holds the conversation's later replies back (False: its retry is scheduled already), unless this is that
        `scheduled` retry."""
        with self.db.session(autocommit=True) as session:
            return self.flush_in(session, conversation_id, autocommit=True, scheduled=scheduled)

    def flush_in(self, session: Session, conversation_id: int, *, autocommit: bool = False,
                 scheduled: bool = False) -> bool:
        """`flush` on the caller's session; with `autocommit`, each statement has committed as it ran, so only
        what a failed send changed through objects needs a commit before the next reply leaves."""
        rows = session.execute(_PENDING, {"conversation_id": conversation_id}).all()
        if not rows or (not scheduled and (wait_left(rows[0].extra, self.clock()) or 0) > 0):
            return False
        outcomes: list[str] = []
        try:
            return self._send_in_order(session, conversation_id, rows, outcomes, autocommit)
        finally:
            if "sent" in outcomes:  # once, with the last: one UPDATE of the conversation
                session.connection().execute(_SENT_AT, {"conversation_id": conversation_id, "now": self.clock()})

    def _send_in_order(self, session: Session, conversation_id: int, rows: list, outcomes: list[str],
                       autocommit: bool) -> bool:
        """Send the pending replies one by one, noting each outcome; True when one must wait for a retry."""
        to = _Recipient.of(rows[0])
        for row in rows:
            outcomes.append(self._send(session, conversation_id, to, row, autocommit))
            if outcomes[-1] == "retry":
                return True
            if outcomes[-1] == "taken":  # another flush has these replies in hand (see `_intend`)
                return False
            if row is not rows[-1]:
                self._record_before_next(session, autocommit)
        return False

    def _record_before_next(self, session: Session, autocommit: bool) -> None:
        """Commit what the last send wrote before the next reply leaves, so a crash re-sends nothing."""
        if not autocommit or session.dirty or session.new:
            self.db.commit(session)

    def _send(self, session: Session, conversation_id: int, to: _Recipient, row, autocommit: bool) -> str:
        """Send one pending reply (a row of `_PENDING`): "sent", "settled" (skipped or failed for good), "retry"
        (try again later) or "taken" (another flush claimed it). The common path writes with prebuilt statements;
        only a failure loads the message, conversation and artisan as objects."""
        if to.refused(row.created_at):
            session.connection().execute(_SKIPPED, {"row_id": row.id})
            return "settled"
        message, outbox = _outbound(row, to), self._outbox(row)
        unsure = row.status == "sending"  # an earlier attempt may have reached the channel: look before re-sending
        try:
            result = send_once.already_sent(session, outbox, row, message) if unsure else None
            if result is None:
                unsure = False
                if not self._intend(session, row, autocommit):
                    return "taken"
                result = outbox.send(message)
        except SendError as exc:
            return self._failed(session, conversation_id, to, row.id, message, exc, unsure or exc.uncertain)
        self._sent(session, conversation_id, to, row, message, result)
        return "sent"

    def _intend(self, session: Session, row, autocommit: bool) -> bool:
        """Commit that this reply is about to leave (status "sending", a fresh attempt token), before it does:
        Twilio's create has no idempotency key, so an interrupted send is looked up there before it goes again.

        False when the reply is no longer as this flush read it: another flush claimed it first (two flushes at once
        only when a lock was let go of while its holder still ran, bot/takeover.py), and it alone sends it."""
        extra = {**(row.extra or {}), "sending_at": self.clock().isoformat()}
        claimed = session.connection().execute(_INTENT, {
            "row_id": row.id, "was": row.status, "token_was": row.idempotency_token,
            "token": f"send:{uuid.uuid4().hex}", "extra": extra}).rowcount
        if not autocommit:  # an autocommit session has committed the UPDATE already
            self.db.commit(session)
        return bool(claimed)

    def _outbox(self, row) -> Outbox:
        """The channel the reply was written for (`extra["via"]`), Twilio when it names none or an unknown one."""
        return self.outboxes.get((row.extra or {}).get("via", "twilio")) or self.outboxes["twilio"]

    def _sent(self, session: Session, conversation_id: int, to: _Recipient, row, message: OutboundMessage,
              result: SendResult) -> None:
        """Record a reply that left, count it and tell the helpdesk."""
        session.connection().execute(_SENT, {"row_id": row.id, "status": result.status, "twilio_sid": result.sid,
                                             "error_code": result.error_code, "attempts": row.attempts + 1})
        if to.erased:  # the last reply to an erased artisan: forget where it went
            session.connection().execute(_FORGET_TO, {"row_id": row.id})
        log_message("out", row.channel, message.address, row.body, len(row.media or []), result.status)
        self.metrics.inc("messages", direction="out", channel=row.channel)
        self.events.publish("message", {"conversation_id": conversation_id, "message_id": row.id})
