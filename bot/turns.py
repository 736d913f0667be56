"""Turns: a conversation's waiting messages, in order, under its lock: media, the engine, state, replies written.

One session for the whole job, one transaction for what one look found, committed before any reply leaves
(bot/outbox.py sends them). Nothing an artisan sends is stored before they agree to it (consent): media is held.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import String, and_, bindparam, cast, select, update
from sqlalchemy.orm import Session

import flows
from bot import conversation_ops as ops
from bot import conversations as store
from bot import price_notice
from bot.effects import EffectRunner
from bot.locks import ConversationLock
from bot.media import Intake, MediaIntake
from bot.outbox import Sending, insert_replies, queue_reply, reply_rows
from bot.telemetry import Metrics
from db import Database, after_commit, after_commit_scope
from db.models import Artisan, Conversation, Message
from flows import types as t

log = logging.getLogger("hunar.turns")

ALBUM_WINDOW = timedelta(seconds=10)  # photos this close together, with no text between, are one album
LOOK_LIMIT = 50  # waiting messages taken in one look (one transaction)


class TurnTaken(RuntimeError):
    """Another handler recorded these messages first (its lock was let go of as it seemed dead, bot/takeover.py):
    this look is rolled back, replies and all, so no message is answered twice."""


class Turns:
    """Runs the engine for every waiting message of a conversation, whichever door it came in by."""

    def __init__(self, *, db: Database, lock: ConversationLock, intake: MediaIntake, effects: EffectRunner,
                 parse: Callable[..., dict], clock: Callable[[], datetime], metrics: Metrics, sending: Sending,
                 upload_link: Callable[[Session, Conversation, datetime], str] | None = None,
                 desk_hours: tuple[int, int] | None = None):
        self.db = db
        self.lock = lock
        self.intake = intake
        self.effects = effects
        self.parse = parse
        self.clock = clock
        self.metrics = metrics
        self.sending = sending
        self.upload_link = upload_link
        self.desk_hours = desk_hours  # told to an artisan waiting for a person (flows/waiting.py)

    def process(self, conversation_id: int, *, send: bool = True) -> bool:
        """Handle every waiting message of one conversation in arrival order, then send what is owed.

        True when a reply is left waiting for a retry (see `Sending.flush`). With `send=False` the replies are
        left pending for the caller to send (a worker's sending threads); True then when any message was handled."""
        with self.metrics.batch(), self.metrics.timer("job_seconds"), self.lock.hold(conversation_id), \
                self.db.session() as session:
            handled = self._handle_waiting(session, conversation_id)
            if not send:
                return handled
            return self.sending.flush_in(session, conversation_id)

    def _handle_waiting(self, session: Session, conversation_id: int) -> bool:
        """Look, handle, commit, until a look finds fewer than LOOK_LIMIT; True when anything was handled."""
        handled = False
        while True:
            conv, artisan, pending = self._look(session, conversation_id)
            if not pending:
                return handled
            try:
                self._handle_all(session, conv, artisan, pending)
            except TurnTaken:  # look again: what the other handler left (a message come since) is ours
                log.warning("conversation %s: another handler recorded its messages first", conversation_id)
                session.rollback()
                continue
            handled = True
            self.db.commit(session)
            if len(pending) < LOOK_LIMIT:
                return handled  # a message recorded after the look marked the conversation ready again

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
                insert_replies(session, replies)
                _record_processed(session, pending, self.clock())  # all of them in one UPDATE
                session.flush()
            return
        except TurnTaken:
            raise
        except Exception:
            log.warning("conversation %s: a message failed; handling them one at a time", conv.id)
            session.rollback()
        conv, artisan, again = self._look(session, conv.id)
        for batch in _batches(again[:len(pending)]):
            try:
                with after_commit_scope(session), session.begin_nested():
                    replies = []
                    self._handle(session, conv, artisan, batch, replies)
                    insert_replies(session, replies)
                    _record_processed(session, batch, self.clock())
            except TurnTaken:
                raise
            except Exception:
                log.exception("conversation %s: message %s failed in the engine", conv.id, batch[-1].id)
                self._give_up(session, conv, artisan, batch)

    def _handle(self, session: Session, conv: Conversation, artisan: Artisan, batch: list[Message],
                replies: list[dict]) -> None:
        """One batch through media intake and the engine; its replies are added to `replies`, to be written."""
        now = self.clock()
        consented = artisan.consent_at is not None
        intake = self._take_media(session, artisan, batch, consented)
        for message in batch:
            store.note_inbound(conv, message)
        conv.updated_at = now  # the injected clock, not the column's default
        if conv.mode == "human":
            return  # a person is helping: the helpdesk sees the message live, the bot stays silent
        text = "\n".join(m.body for m in batch if m.body)
        reading = self.parse(text, step=conv.step)  # the backend may read by what was asked
        self._wrote_again(session, conv, artisan, reading, now)
        state = store.load_state(conv)
        asked_before = getattr(state, "step", None)
        result = flows.step(state, self._inbound(session, conv, artisan, batch, intake, text, now), reading)
        if result.missed:  # an answer the step could not use is counted, by step (the NLU's misses in production)
            self.metrics.inc("nlu_misses", step=result.missed)
        store.save_state(conv, result.state)
        to, via = artisan.address, conv.via  # read before effects: deleting data anonymises the address
        notices = self.effects.apply(session, conv, artisan, result.effects, now) if result.effects else []
        if not consented and artisan.consent_at is not None:  # they agreed: what they sent before is taken now
            self._take_held(session, conv, artisan, result.state)
        for reply in self._with_prices(conv, result, notices, asked_before):
            replies += reply_rows(conv, to, via, reply, now, in_reply_to=batch[-1].id)

    def _with_prices(self, conv: Conversation, result, notices: list[str], asked_before: str | None) -> list:
        """The engine's replies, with the price line under a summary card just shown or a listing just submitted."""
        if result.state.step == "confirm" and asked_before != "confirm":
            notices = notices + price_notice.for_draft(result.state, self.effects.settings)
        if not notices:
            return list(result.replies)  # a plain answer's path does not go through bot/price_notice.py
        return price_notice.with_notices(list(result.replies), notices, sms=conv.channel == "sms")

    @staticmethod
    def _wrote_again(session: Session, conv: Conversation, artisan: Artisan, reading: dict, now: datetime) -> None:
        """An artisan who opted out and writes again (anything but STOP) may be sent messages again."""
        if artisan.opted_out_at is not None and reading.get("intent", {}).get("name") != "stop":
            ops.opt_in(session, artisan, now=now, actor="artisan", conversation_id=conv.id)

    def _take_media(self, session: Session, artisan: Artisan, batch: list[Message], consented: bool) -> Intake:
        """The batch's media fetched, checked and stored (held instead, before consent)."""
        intake = Intake()
        for message in batch:
            if not message.media:
                continue
            if not consented:  # nothing an artisan sends is stored before they agree
                self.intake.hold(message)
                continue
            intake.add(self.intake.take(session, artisan.id, message))
        for key in intake.staged_keys:  # raw uploads go once their photos are stored and committed
            after_commit(session, lambda key=key: self.intake.store.delete(key))
        return intake

    def _inbound(self, session: Session, conv: Conversation, artisan: Artisan, batch: list[Message],
                 intake: Intake, text: str, now: datetime) -> t.Inbound:
        """What the engine is told about the batch."""
        last = batch[-1]
        sms_upload = conv.channel == "sms" and self.upload_link is not None
        return t.Inbound(
            now=now, text=text, channel=conv.channel, photos=tuple(intake.photos),
            media_kinds=tuple(intake.media_kinds), media_ids=tuple(intake.media_ids),
            button=(last.extra or {}).get("button"), location=_location(last),
            profile_name=artisan.profile_name, listings=_Lazy(lambda: self._listing_refs(session, artisan)),
            upload_url=self.upload_link(session, conv, now) if sms_upload else None,
            failed_media=intake.failed, refused_media=intake.refused, read=self.parse, desk_hours=self.desk_hours,
        )

    def _take_held(self, session: Session, conv: Conversation, artisan: Artisan, state: flows.State) -> None:
        """Take the media held before consent (fetch, check, store); its photos seed the draft."""
        photos: list[t.Photo] = []
        held = session.scalars(select(Message).where(
            Message.conversation_id == conv.id, Message.direction == "in",
            cast(Message.media, String).contains('"held"')).order_by(Message.id))
        for message in held:
            got = self.intake.take(session, artisan.id, message)
            photos += got.photos
            for key in got.staged_keys:
                after_commit(session, lambda key=key: self.intake.store.delete(key))
        if photos:
            store.save_state(conv, flows.keep_early_photos(state, photos))

    def _give_up(self, session: Session, conv: Conversation, artisan: Artisan, batch: list[Message]) -> None:
        """An engine failure must not lose the message: keep it for staff, tell the artisan a person will help."""
        now = self.clock()
        for message in batch:
            message.status = "error"
        ops.flag(session, conv, "bot_error", f"message {batch[-1].id}", now=now, actor="bot")
        text = flows.prompts.say("bot_error", conv.language or "hi")
        queue_reply(session, conv, artisan.address, conv.via, t.Reply(text), now, in_reply_to=batch[-1].id)

    @staticmethod
    def _listing_refs(session: Session, artisan: Artisan) -> tuple[t.ListingRef, ...]:
        """The artisan's listings as the engine numbers them."""
        refs = []
        for number, listing in enumerate(store.listing_rows(session, artisan.id), start=1):
            product = (listing.fields or {}).get("product") or {}
            refs.append(t.ListingRef(number=number, id=listing.id,
                                     product=product.get("hi") if isinstance(product, dict) else str(product),
                                     status=listing.status, price=listing.price_amount, per=listing.price_per,
                                     quantity=listing.quantity))
        return tuple(refs)


# Built once, with bound parameters: a statement made per call cost more to make than to run.
_LOOK = (select(Conversation, Artisan, Message).join(Artisan, Artisan.id == Conversation.artisan_id)
         .outerjoin(Message, and_(Message.conversation_id == Conversation.id, Message.direction == "in",
                                  Message.status == "received"))
         .where(Conversation.id == bindparam("conversation_id")).order_by(Message.id).limit(LOOK_LIMIT)
         .execution_options(populate_existing=True))
_messages = Message.__table__
_PROCESSED = (update(_messages).where(_messages.c.id.in_(bindparam("ids", expanding=True)),
                                      _messages.c.status == "received")
              .values(status="processed", processed_at=bindparam("now")))


def _record_processed(session: Session, messages: list[Message], now: datetime) -> None:
    """The messages are handled: one UPDATE for all of them, in the session's transaction; TurnTaken if another
    handler recorded any first (PostgreSQL makes this UPDATE wait for its commit)."""
    done = session.connection().execute(_PROCESSED, {"ids": [m.id for m in messages], "now": now}).rowcount
    if done != len(messages):
        raise TurnTaken(f"{len(messages) - done} of {len(messages)} messages were recorded by another handler")


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
