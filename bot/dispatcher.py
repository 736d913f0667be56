"""The one path every message takes: record once, then per conversation in order: media, engine, state, replies."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import String, and_, bindparam, cast, insert, select, update
from sqlalchemy.orm import Session

import flows
from bot import conversations as store
from bot.effects import EffectRunner
from bot.inbound import InboundMessage
from bot.locks import ConversationLock
from bot.logs import log_message
from bot.media import Intake, MediaIntake
from bot.outbox import MAX_BODY, Outbox, OutboundMessage, RecipientOptedOut, SendError, numbered, split_body
from bot.window import aware
from db import Database, after_commit, after_commit_scope, audit
from db.models import Artisan, Conversation, Message
from flows import types as t

log = logging.getLogger("hunar.dispatcher")

ALBUM_WINDOW = timedelta(seconds=10)  # photos this close together, with no text between, are one album
MAX_SEND_ATTEMPTS = 5
LOOK_LIMIT = 50  # waiting messages taken in one look (one transaction)


class Dispatcher:
    """Runs DESIGN.md's path for every message, whichever door (webhook, simulator, upload page) it came in by."""

    def __init__(self, *, db: Database, lock: ConversationLock, outboxes: dict[str, Outbox], intake: MediaIntake,
                 effects: EffectRunner, parse: Callable[..., dict], clock: Callable[[], datetime],
                 publish: Callable[[str, dict], None] | None = None,
                 upload_link: Callable[[Session, Conversation, datetime], str] | None = None, metrics=None):
        self.db = db
        self.lock = lock
        self.outboxes = outboxes
        self.intake = intake
        self.effects = effects
        self.parse = parse
        self.clock = clock
        self.publish = publish or (lambda kind, data: None)
        self.upload_link = upload_link
        self.metrics = metrics or _NoMetrics()

    # --- the door -------------------------------------------------------------------------------

    def receive(self, msg: InboundMessage) -> tuple[int, int] | None:
        """Record an inbound message exactly once; returns (conversation id, message id), None for a repeat."""
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
        self.publish("message", {"conversation_id": ids[0], "message_id": ids[1]})
        return ids

    # --- the job --------------------------------------------------------------------------------

    def process(self, conversation_id: int, *, send: bool = True) -> bool:
        """Handle every waiting message of one conversation in arrival order, then send what is owed.

        One session for the whole job, one transaction for what one look found (see `_handle_all`), committed
        before any reply leaves. True when a reply is left waiting for a retry (see `flush`).
        With `send=False` the replies are left pending for the caller to send (bot/sending.py); True then when
        any message was handled."""
        with self.metrics.batch(), self.metrics.timer("job_seconds"), self.lock.hold(conversation_id), \
                self.db.session() as session:
            handled = False
            while True:
                conv, artisan, pending = self._look(session, conversation_id)
                if not pending:
                    break
                self._handle_all(session, conv, artisan, pending)
                handled = True
                self.db.commit(session)
                if len(pending) < LOOK_LIMIT:
                    break  # a message recorded after the look marked the conversation ready again
            if not send:
                return handled
            return self._flush(session, conversation_id)

    def _look(self, session: Session, conversation_id: int) -> tuple[Conversation, Artisan, list[Message]]:
        """The conversation, its artisan and its waiting messages (at most LOOK_LIMIT), fresh, in one query:
        staff may have taken the conversation over since the last look."""
        rows = session.execute(_LOOK, {"conversation_id": conversation_id}).all()
        conv, artisan, _ = rows[0]
        return conv, artisan, [message for _, _, message in rows if message is not None]

    def _handle_all(self, session: Session, conv: Conversation, artisan: Artisan, pending: list[Message]) -> None:
        """Every waiting message in arrival order; an album (photos in a row) is one batch.

        All of them at once, written in one flush. Should any batch fail, the look is rolled back and done
        again batch by batch, each in a savepoint, so that only the failing one is given up to staff (savepoints
        for every batch would cost two round trips each on the common path)."""
        try:
            with after_commit_scope(session):
                replies: list[dict] = []
                for batch in _batches(pending):
                    self._handle(session, conv, artisan, batch, replies)
                _insert_replies(session, replies)
                _record_processed(session, pending, self.clock())  # all of them in one UPDATE
                session.flush()
            return
        except Exception:
            log.warning("conversation %s: a message failed; handling them one at a time", conv.id)
            session.rollback()
        conv, artisan, again = self._look(session, conv.id)
        for batch in _batches(again[:len(pending)]):
            try:
                with after_commit_scope(session), session.begin_nested():
                    replies = []
                    self._handle(session, conv, artisan, batch, replies)
                    _insert_replies(session, replies)
                    _record_processed(session, batch, self.clock())
            except Exception:
                log.exception("conversation %s: message %s failed in the engine", conv.id, batch[-1].id)
                self._give_up(session, conv, artisan, batch)

    def _handle(self, session: Session, conv: Conversation, artisan: Artisan, batch: list[Message],
                replies: list[dict]) -> None:
        """One batch through media intake and the engine; its replies are added to `replies`, to be written."""
        now = self.clock()
        intake = Intake()
        consented = artisan.consent_at is not None
        for message in batch:
            if not consented:  # nothing an artisan sends is stored before they agree
                self.intake.hold(message)
                continue
            got = self.intake.take(session, artisan.id, message)
            intake.photos += got.photos
            intake.media_kinds += got.media_kinds
            intake.media_ids += got.media_ids
            intake.failed += got.failed
            intake.refused += got.refused
            intake.staged_keys += got.staged_keys
        last = batch[-1]
        for message in batch:
            store.note_inbound(conv, message)
        text = "\n".join(m.body for m in batch if m.body)
        for key in intake.staged_keys:  # raw uploads go once their photos are stored and committed
            after_commit(session, lambda key=key: self.intake.store.delete(key))
        if conv.mode == "human":
            return  # a person is helping: the helpdesk sees the message live, the bot stays silent
        state = store.load_state(conv)
        parse = self.parse(text, step=state.step if state else None)  # the backend may read by what was asked
        if artisan.opted_out_at is not None and parse.get("intent", {}).get("name") != "stop":
            artisan.opted_out_at = None  # they wrote again: messages may flow again
            audit.record(session, "artisan.opt_in", actor="artisan", at=now, artisan_id=artisan.id,
                         conversation_id=conv.id)
        inbound = t.Inbound(
            now=now, text=text, channel=conv.channel, photos=tuple(intake.photos),
            media_kinds=tuple(intake.media_kinds), media_ids=tuple(intake.media_ids),
            button=(last.extra or {}).get("button"), location=_location(last),
            profile_name=artisan.profile_name, listings=_Lazy(lambda: self._listing_refs(session, artisan)),
            upload_url=self.upload_link(session, conv, now) if conv.channel == "sms" and self.upload_link else None,
            failed_media=intake.failed, refused_media=intake.refused, read=self.parse,
        )
        result = flows.step(state, inbound, parse)
        if result.missed:
            self.metrics.inc("nlu_misses", step=result.missed)
        store.save_state(conv, result.state)
        to, via = artisan.address, conv.via  # read before effects: deleting data anonymises the address
        self.effects.apply(session, conv, artisan, result.effects, now)
        if not consented and artisan.consent_at is not None:  # they agreed: what they sent before is taken now
            early = self._take_held(session, conv, artisan)
            if early:
                store.save_state(conv, flows.keep_early_photos(result.state, early))
        for reply in result.replies:
            replies += _reply_rows(conv, to, via, reply, now, in_reply_to=last.id)

    def _take_held(self, session: Session, conv: Conversation, artisan: Artisan) -> list[t.Photo]:
        """Take the media held before consent (fetch, check, store); returns the photos among them."""
        photos: list[t.Photo] = []
        held = session.scalars(select(Message).where(
            Message.conversation_id == conv.id, Message.direction == "in",
            cast(Message.media, String).contains('"held"')).order_by(Message.id))
        for message in held:
            got = self.intake.take(session, artisan.id, message)
            photos += got.photos
            for key in got.staged_keys:
                after_commit(session, lambda key=key: self.intake.store.delete(key))
        return photos

    def _give_up(self, session: Session, conv: Conversation, artisan: Artisan, batch: list[Message]) -> None:
        """An engine failure must not lose the message: keep it for staff, tell the artisan a person will help."""
        now = self.clock()
        for message in batch:
            message.status = "error"
        conv.flagged_at = conv.flagged_at or now
        conv.flag_reason, conv.flag_detail = "bot_error", f"message {batch[-1].id}"
        audit.record(session, "conversation.flagged", at=now, artisan_id=artisan.id, conversation_id=conv.id,
                     reason="bot_error")
        text = flows.prompts.say("bot_error", conv.language or "hi")
        self._queue_reply(session, conv, artisan.address, conv.via, t.Reply(text), now, in_reply_to=batch[-1].id)

    def _queue_reply(self, session: Session, conv: Conversation, to: str, via: str, reply: t.Reply,
                     now: datetime, *, in_reply_to: int | None, author: str = "bot", staff_id: int | None = None):
        """Add the reply to the session as a pending outbound message; it is sent after the transaction commits."""
        row = Message(**_reply_row(conv, to, via, reply, now, in_reply_to=in_reply_to, author=author,
                                   staff_id=staff_id))
        session.add(row)
        return row

    def _listing_refs(self, session: Session, artisan: Artisan) -> tuple[t.ListingRef, ...]:
        refs = []
        for number, listing in enumerate(store.listing_rows(session, artisan.id), start=1):
            product = (listing.fields or {}).get("product") or {}
            refs.append(t.ListingRef(number=number, id=listing.id,
                                     product=product.get("hi") if isinstance(product, dict) else str(product),
                                     status=listing.status, price=listing.price_amount, per=listing.price_per,
                                     quantity=listing.quantity))
        return tuple(refs)

    # --- sending --------------------------------------------------------------------------------

    def flush(self, conversation_id: int) -> bool:
        """Send the conversation's pending replies in order; stop at the first that must wait for a retry.

        True when it stopped at one (a transient failure: the caller schedules the retry). Each reply's record
        commits on its own as it is written, before the next reply leaves."""
        with self.db.session(autocommit=True) as session:
            return self._flush(session, conversation_id, autocommit=True)

    def _flush(self, session: Session, conversation_id: int, *, autocommit: bool = False) -> bool:
        """`flush` on the caller's session; with `autocommit`, each statement has committed as it ran, so only
        what a failed send changed through objects needs a commit before the next reply leaves."""
        rows = session.execute(_PENDING, {"conversation_id": conversation_id}).all()
        if not rows:
            return False
        to = _Recipient(rows[0].artisan_id, rows[0].address, rows[0].opted_out_at, rows[0].last_inbound_at)
        sent = False
        try:
            for row in rows:
                outcome = self._send(session, conversation_id, to, row)
                if outcome == "retry":
                    return True
                sent = sent or outcome == "sent"
                if row is not rows[-1] and (not autocommit or session.dirty or session.new):
                    self.db.commit(session)  # each send is recorded before the next, so a crash re-sends nothing
        finally:
            if sent:  # once, with the last: one UPDATE of the conversation
                session.connection().execute(_SENT_AT, {"conversation_id": conversation_id, "now": self.clock()})
        return False

    def _send(self, session: Session, conversation_id: int, to: "_Recipient", row) -> str:
        """Send one pending reply (a row of `_PENDING`): "sent", "settled" (skipped or failed for good), or
        "retry" (try again later). The common path writes with prebuilt statements; only a failure loads the
        message, conversation and artisan as objects."""
        extra = row.extra or {}
        if to.opted_out_at is not None and aware(row.created_at) > aware(to.opted_out_at):
            session.connection().execute(_SKIPPED, {"row_id": row.id})
            return "settled"
        outbox = self.outboxes.get(extra.get("via", "twilio")) or self.outboxes["twilio"]
        message = OutboundMessage(message_id=row.id, address=extra.get("to") or to.address, channel=row.channel,
                                  text=row.body, buttons=tuple(extra.get("buttons", ())),
                                  media_urls=tuple(m["url"] for m in row.media or [] if m.get("url")),
                                  in_reply_to=extra.get("in_reply_to"), template=extra.get("template"),
                                  last_inbound_at=to.last_inbound_at)
        try:
            result = outbox.send(message)
        except SendError as exc:
            return self._send_failed(session, conversation_id, to, row.id, message, exc)
        session.connection().execute(_SENT, {"row_id": row.id, "status": result.status, "twilio_sid": result.sid,
                                             "error_code": result.error_code, "attempts": row.attempts + 1})
        if to.address.startswith(ERASED):  # the last reply to an erased artisan: forget where it went
            session.connection().execute(_FORGET_TO, {"row_id": row.id})
        log_message("out", row.channel, message.address, row.body, len(row.media or []), result.status)
        self.metrics.inc("messages", direction="out", channel=row.channel)
        self.publish("message", {"conversation_id": conversation_id, "message_id": row.id})
        return "sent"

    def _send_failed(self, session: Session, conversation_id: int, to: "_Recipient", message_id: int,
                     message: OutboundMessage, exc: SendError) -> str:
        """Record a failed send: "retry" for a transient one, "settled" when the reply is given up (staff see it)."""
        row = session.get(Message, message_id)
        row.attempts += 1
        row.error_code = exc.code or "send_error"
        self.metrics.inc("twilio_errors", code=row.error_code)
        if isinstance(exc, RecipientOptedOut) and to.opted_out_at is None:
            artisan = session.get(Artisan, to.artisan_id)
            artisan.opted_out_at = to.opted_out_at = self.clock()  # they blocked us: stop until they write again
        if exc.permanent or row.attempts >= MAX_SEND_ATTEMPTS:
            row.status = "failed"
            if to.address.startswith(ERASED):
                row.extra = {}
            conv = session.get(Conversation, conversation_id)
            conv.flagged_at = conv.flagged_at or self.clock()
            conv.flag_reason, conv.flag_detail = "send_failed", str(exc)[:500]
            audit.record(session, "conversation.flagged", artisan_id=to.artisan_id, conversation_id=conversation_id,
                         reason="send_failed", code=row.error_code)
            log_message("out", row.channel, message.address, row.body, len(row.media or []), "failed")
            return "settled"
        log.warning("send of message %s failed (attempt %d): %s", row.id, row.attempts, exc)
        return "retry"


@dataclass
class _Recipient:
    """Whom a conversation's pending replies go to, as `_flush` found them (opted_out_at follows a block)."""

    artisan_id: int
    address: str
    opted_out_at: datetime | None
    last_inbound_at: datetime | None


# The statements every message runs are built once, with bound parameters: a statement made per call spent
# more time being made (and keyed for the cache) than run.
_LOOK = (select(Conversation, Artisan, Message).join(Artisan, Artisan.id == Conversation.artisan_id)
         .outerjoin(Message, and_(Message.conversation_id == Conversation.id, Message.direction == "in",
                                  Message.status == "received"))
         .where(Conversation.id == bindparam("conversation_id")).order_by(Message.id).limit(LOOK_LIMIT)
         .execution_options(populate_existing=True))
# A conversation's pending replies, with what sending them needs of their conversation and artisan, as rows.
_PENDING = (select(Message.id, Message.channel, Message.body, Message.media, Message.extra, Message.attempts,
                   Message.created_at, Conversation.last_inbound_at, Artisan.id.label("artisan_id"),
                   Artisan.address, Artisan.opted_out_at)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .join(Artisan, Artisan.id == Conversation.artisan_id)
            .where(Message.conversation_id == bindparam("conversation_id"), Message.direction == "out",
                   Message.status == "pending").order_by(Message.id))
_messages = Message.__table__
# These write what the unit of work would have, for the cases that run for every message.
_SENT = (update(_messages).where(_messages.c.id == bindparam("row_id"))
         .values(status=bindparam("status"), twilio_sid=bindparam("twilio_sid"),
                 error_code=bindparam("error_code"), attempts=bindparam("attempts")))
_SKIPPED = (update(_messages).where(_messages.c.id == bindparam("row_id"))
            .values(status="skipped", error_code="opted_out"))
_FORGET_TO = update(_messages).where(_messages.c.id == bindparam("row_id")).values(extra={})
ERASED = "deleted:"  # an erased artisan's address (bot.erasure)
_SENT_AT = (update(Conversation.__table__).where(Conversation.__table__.c.id == bindparam("conversation_id"))
            .values(last_outbound_at=bindparam("now")))
_INSERT_REPLY = insert(_messages)
_PROCESSED = (update(_messages).where(_messages.c.id.in_(bindparam("ids", expanding=True)))
              .values(status="processed", processed_at=bindparam("now")))


def _reply_row(conv: Conversation, to: str, via: str, reply: t.Reply, now: datetime, *, in_reply_to: int | None,
               author: str = "bot", staff_id: int | None = None) -> dict:
    """A reply as the columns of a pending outbound message."""
    extra = {"to": to, "via": via, "in_reply_to": in_reply_to}
    if reply.buttons:
        extra["buttons"] = [{"id": b.id, "title": b.title} for b in reply.buttons]
    return {"conversation_id": conv.id, "direction": "out", "channel": conv.channel, "author": author,
            "staff_id": staff_id, "body": reply.text, "media": [{"url": u} for u in reply.media], "extra": extra,
            "status": "pending", "attempts": 0, "created_at": now}


def _reply_rows(conv: Conversation, to: str, via: str, reply: t.Reply, now: datetime, *,
                in_reply_to: int | None) -> list[dict]:
    """A reply as one pending message, or several in order when it is longer than one message may be: the media
    go with the first part, the buttons (numbered under the text) with the last."""
    room = len(numbered("", [{"title": b.title} for b in reply.buttons]))
    parts = split_body(reply.text, MAX_BODY, MAX_BODY - room)
    if len(parts) == 1:
        return [_reply_row(conv, to, via, reply, now, in_reply_to=in_reply_to)]
    last = len(parts) - 1
    return [_reply_row(conv, to, via, t.Reply(part, buttons=reply.buttons if i == last else (),
                                              media=reply.media if i == 0 else ()), now, in_reply_to=in_reply_to)
            for i, part in enumerate(parts)]


def _insert_replies(session: Session, replies: list[dict]) -> None:
    """The bot's replies of one look, in order, as one INSERT statement run for each (one round trip on
    PostgreSQL): the unit of work spent more on them than the engine did on making them, and nothing in the
    look needs them as objects. Ids follow the list's order, which is the order they are sent in."""
    if replies:
        session.connection().execute(_INSERT_REPLY, replies)


def _record_processed(session: Session, messages: list[Message], now: datetime) -> None:
    """The messages are handled: one UPDATE for all of them, in the session's transaction."""
    session.connection().execute(_PROCESSED, {"ids": [m.id for m in messages], "now": now})


class _Lazy(Sequence):
    """A sequence made on first use: the artisan's listings are looked up only for a turn that asks for them."""

    def __init__(self, make: Callable[[], tuple]):
        self._make = make
        self._items: tuple | None = None

    def _loaded(self) -> tuple:
        if self._items is None:
            self._items = tuple(self._make())
        return self._items

    def __getitem__(self, index):
        return self._loaded()[index]

    def __len__(self) -> int:
        return len(self._loaded())


class _NoMetrics:
    """Used when no metrics store is given (unit tests of the dispatcher alone)."""

    def inc(self, *args, **kwargs) -> None:
        pass

    @contextmanager
    def batch(self):
        yield

    @contextmanager
    def timer(self, *args, **kwargs):
        yield


def _batches(pending: list[Message]):
    """The waiting messages as the engine takes them: one by one, an album as one."""
    while pending:
        batch = album(pending)
        pending = pending[len(batch):]
        yield batch


def album(pending: list[Message]) -> list[Message]:
    """The first waiting message, plus the photo-only messages right after it when it is a photo too."""
    first = pending[0]
    batch = [first]
    if not _is_photo(first):
        return batch
    for message in pending[1:]:
        if not _is_photo(message) or message.created_at - batch[-1].created_at > ALBUM_WINDOW:
            break
        batch.append(message)
    return batch


def _is_photo(message: Message) -> bool:
    return bool(message.media) and all((m.get("content_type") or "").startswith("image/") for m in message.media)


def _location(message: Message) -> tuple[float, float] | None:
    loc = (message.extra or {}).get("location")
    return (float(loc[0]), float(loc[1])) if loc else None
