"""The conversation store: artisans and their conversation found by address, inbound recorded exactly once."""
from __future__ import annotations

import functools
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, String, bindparam, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Artisan, Conversation, Listing, Message
from flows import State

if TYPE_CHECKING:
    from bot.inbox import InboundMessage  # the inbox records through this module


# NUL and other control characters (but newline and tab) never mean anything in a chat, and PostgreSQL
# refuses NUL in text and JSON; they are dropped at the door.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13)) | {0x7F: None}


def clean(value):
    """Strings without control characters, recursively through lists and dicts."""
    if isinstance(value, str):
        return value.translate(_CONTROL)
    if isinstance(value, dict):
        return _clean_dict(value)
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def _clean_dict(value: dict) -> dict:
    """`clean` of every key and value."""
    return {clean(k): clean(v) for k, v in value.items()}


def find_artisan(session: Session, msg: InboundMessage) -> Artisan | None:
    """The artisan behind an address: by exact address, else by phone number or BSUID (one person, many doors)."""
    artisan = session.scalar(select(Artisan).where(Artisan.address == msg.address))
    if artisan is None and msg.phone:
        artisan = session.scalar(select(Artisan).where(Artisan.phone == msg.phone))
    bsuid = msg.extra.get("bsuid")
    if artisan is None and bsuid:
        artisan = session.scalar(select(Artisan).where(Artisan.bsuid == bsuid))
    return artisan


def artisan_for(session: Session, msg: InboundMessage) -> Artisan:
    """Find or create the artisan for an inbound message; safe when two first messages race."""
    artisan = find_artisan(session, msg) or _new_artisan(session, msg)
    _update_ids(session, artisan, msg)
    return artisan


def _new_artisan(session: Session, msg: InboundMessage) -> Artisan:
    """A first contact's artisan row; the other's, when a concurrent first message made it first."""
    try:
        with session.begin_nested():
            artisan = Artisan(address=msg.address, phone=msg.phone, wa_id=msg.wa_id,
                              bsuid=msg.extra.get("bsuid"), profile_name=msg.profile_name)
            session.add(artisan)
            session.flush()
            return artisan
    except IntegrityError:
        artisan = find_artisan(session, msg)
        assert artisan is not None, "artisan vanished after a unique conflict"
        return artisan


def _update_ids(session: Session, artisan: Artisan, msg: InboundMessage) -> None:
    """What the message tells of the artisan: a new profile name, a WhatsApp id or BSUID we did not have."""
    name = _profile_name(msg)
    if name and artisan.profile_name != name:
        artisan.profile_name = name
    if msg.wa_id and not artisan.wa_id:
        artisan.wa_id = msg.wa_id
    _adopt_bsuid(session, artisan, msg.extra.get("bsuid"))


def _adopt_bsuid(session: Session, artisan: Artisan, bsuid: str | None) -> None:
    """A BSUID the artisan lacks and nobody else has becomes theirs."""
    if bsuid and not artisan.bsuid and not session.scalar(select(Artisan.id).where(Artisan.bsuid == bsuid)):
        artisan.bsuid = bsuid  # the number's user id (BSUID): their later messages may come without the number


def _profile_name(msg: InboundMessage) -> str | None:
    """The profile name as the artisan's row keeps it (at most 200 characters)."""
    return msg.profile_name[:200] if msg.profile_name else None


def conversation_for(session: Session, artisan: Artisan) -> Conversation:
    """The artisan's one conversation, created on first contact."""
    conv = session.scalar(select(Conversation).where(Conversation.artisan_id == artisan.id))
    if conv is None:
        try:
            with session.begin_nested():
                conv = Conversation(artisan_id=artisan.id, slots={}, context={}, language=artisan.language)
                session.add(conv)
                session.flush()
        except IntegrityError:
            conv = session.scalar(select(Conversation).where(Conversation.artisan_id == artisan.id))
    return conv


def _cleaned(msg: InboundMessage) -> InboundMessage:
    return replace(msg, **{f: clean(getattr(msg, f)) for f in ("address", "text", "sid", "idempotency_token",
                                                                "profile_name", "wa_id", "button")},
                   extra=clean(msg.extra))


def _row_values(msg: InboundMessage, now: datetime) -> dict:
    """The columns of the inbound message's row, all but its conversation."""
    return dict(direction="in", channel=msg.channel, author="artisan", body=msg.text,
                media=clean([_media_item(a) for a in msg.media]), extra=clean(_extra(msg)), twilio_sid=msg.sid,
                idempotency_token=msg.idempotency_token, status="received", created_at=now, attempts=0)


def _media_item(attachment) -> dict:
    """An attachment as the message row keeps it: its declared type, and its URL or staged bytes."""
    return {"content_type": attachment.content_type, **({"url": attachment.url} if attachment.url else {}),
            **({"staged": attachment.staged} if attachment.staged else {})}


def _extra(msg: InboundMessage) -> dict:
    """The message's extras with its button, location and profile name (when given) and the door it came by."""
    extra = dict(msg.extra)
    for key in ("button", "location", "profile_name"):
        if getattr(msg, key) is not None:
            extra[key] = getattr(msg, key)
    extra["source"] = msg.source
    return extra


def record_known(connection: Connection, msg: InboundMessage, now: datetime) -> tuple[int, int] | None:
    """The common case in one statement: a known artisan with nothing to update about them.

    `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`: the conversation is found by address and the message
    stored under its unique ids at once. (conversation id, message id), or None when the artisan is unknown, their
    profile changed, or the message is a repeat; `record_inbound` then sorts out which.
    """
    msg = _cleaned(msg)
    params = _row_values(msg, now)
    params.update(address=msg.address, profile_name=_profile_name(msg), wa_id=msg.wa_id, bsuid=msg.extra.get("bsuid"))
    return _ids(connection.execute(_known_insert(connection.dialect.name), params).first())


def _ids(row) -> tuple[int, int] | None:
    """(conversation id, message id) that an insert returned; None when it inserted nothing."""
    return (row[0], row[1]) if row else None


_ROW_COLUMNS = ("direction", "channel", "author", "body", "media", "extra", "twilio_sid", "idempotency_token",
                "status", "created_at", "attempts")


@functools.cache
def _known_insert(dialect: str):
    """`record_known`'s statement, built once per dialect (building it costs more than running it)."""
    columns, artisan, conversation = Message.__table__.c, Artisan.__table__.c, Conversation.__table__.c

    def given(name: str):
        return bindparam(name, type_=String())

    source = (select(conversation.id, *(bindparam(name, type_=columns[name].type) for name in _ROW_COLUMNS))
              .join_from(Conversation.__table__, Artisan.__table__, conversation.artisan_id == artisan.id)
              .where(artisan.address == given("address"),
                     or_(given("profile_name").is_(None), artisan.profile_name == given("profile_name")),
                     or_(given("wa_id").is_(None), artisan.wa_id.is_not(None)),
                     or_(given("bsuid").is_(None), artisan.bsuid.is_not(None))))
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    return (insert(Message.__table__).from_select(["conversation_id", *_ROW_COLUMNS], source)
            .on_conflict_do_nothing().returning(columns.conversation_id, columns.id))


def record_new(connection: Connection, msg: InboundMessage, now: datetime) -> tuple[int, int] | None:
    """First contact in one statement (PostgreSQL): the artisan, their conversation and the message, or nothing.

    Data-modifying CTEs insert the three rows together; any unique conflict (an address, number or BSUID that
    is known after all, a repeat) leaves the artisan out and so the rest, and `record_inbound` sorts it out.
    A wave of newcomers (a department's broadcast answered by hundreds at once) then costs the door one
    round trip each instead of seventeen. None on other databases."""
    if connection.dialect.name != "postgresql":
        return None
    msg = _cleaned(msg)
    params = _row_values(msg, now)
    params.update(address=msg.address, phone=msg.phone, wa_id=msg.wa_id, bsuid=msg.extra.get("bsuid"),
                  profile_name=_profile_name(msg), empty={})
    return _ids(connection.execute(_new_insert(), params).first())


@functools.cache
def _new_insert():
    """`record_new`'s statement, built once."""
    artisans, conversations, messages = Artisan.__table__, Conversation.__table__, Message.__table__

    def given(name: str, column):
        return bindparam(name, type_=column.type)

    artisan = (pg_insert(artisans).values(
        address=given("address", artisans.c.address), phone=given("phone", artisans.c.phone),
        wa_id=given("wa_id", artisans.c.wa_id), bsuid=given("bsuid", artisans.c.bsuid),
        profile_name=given("profile_name", artisans.c.profile_name), language="hi",
        created_at=given("created_at", artisans.c.created_at))
        .on_conflict_do_nothing().returning(artisans.c.id).cte("new_artisan"))
    conversation = (pg_insert(conversations).from_select(
        ["artisan_id", "channel", "via", "slots", "context", "mode", "language", "created_at", "updated_at"],
        select(artisan.c.id, literal("whatsapp"), literal("twilio"), given("empty", conversations.c.slots),
               given("empty", conversations.c.context), literal("bot"), literal("hi"),
               given("created_at", conversations.c.created_at), given("created_at", conversations.c.updated_at)))
        .returning(conversations.c.id).cte("new_conversation"))
    source = select(conversation.c.id, *(given(name, messages.c[name]) for name in _ROW_COLUMNS))
    return (pg_insert(messages).from_select(["conversation_id", *_ROW_COLUMNS], source)
            .on_conflict_do_nothing().returning(messages.c.conversation_id, messages.c.id))


def record_inbound(session: Session, msg: InboundMessage, now: datetime) -> Message | None:
    """Store the message under its unique ids; None when this exact message was already recorded.

    Creates the artisan and conversation on first contact. The conversation's own columns (last inbound time,
    channel) are brought up to date by the job that handles the message, so the door never waits for the
    conversation's row while a job holds it."""
    msg = _cleaned(msg)
    if _recorded_already(session, msg):
        return None
    artisan = artisan_for(session, msg)
    conv = conversation_for(session, artisan)
    row = Message(conversation_id=conv.id, **_row_values(msg, now))
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # a concurrent delivery of the same message won the race
    return row


def _recorded_already(session: Session, msg: InboundMessage) -> bool:
    """True when a message with the same MessageSid or idempotency token was recorded."""
    ids = ((Message.twilio_sid, msg.sid), (Message.idempotency_token, msg.idempotency_token))
    return any(value and session.scalar(select(Message.id).where(column == value)) for column, value in ids)


# Where answers go, by the door a message came in by; the upload page is not a channel: answers go where the
# artisan chats (None: unchanged).
VIA_BY_SOURCE = {"simulator": "simulator", "upload": None}


def note_inbound(conv: Conversation, message: Message) -> None:
    """The conversation's view of the artisan's latest message: when (the 24-hour window) and by which door."""
    if conv.last_inbound_at is None or message.created_at >= conv.last_inbound_at:
        conv.last_inbound_at = message.created_at
    conv.channel = message.channel
    via = VIA_BY_SOURCE.get((message.extra or {}).get("source"), "twilio")
    if via:
        conv.via = via


def load_state(conv: Conversation) -> State | None:
    """The engine's state of a conversation, or None before the first step."""
    if conv.flow is None and not conv.context:
        return None
    return State.from_record(flow=conv.flow, step=conv.step, slots=conv.slots, language=conv.language,
                             context=conv.context)


def save_state(conv: Conversation, state: State) -> None:
    """The engine's state into the conversation's columns and JSON context (new objects, so changes are seen)."""
    for column, value in state.to_record().items():
        setattr(conv, column, value)


def _numbered(query, artisan_id: int):
    """The artisan's listings in the order the bot numbers them (oldest first), without withdrawn ones."""
    return query.where(Listing.artisan_id == artisan_id, Listing.status != "withdrawn").order_by(Listing.id)


def listings_of(session: Session, artisan_id: int) -> list[Listing]:
    """The artisan's listings, numbered as the bot numbers them."""
    return list(session.scalars(_numbered(select(Listing), artisan_id)))


def listing_rows(session: Session, artisan_id: int) -> list:
    """What a turn needs of the artisan's listings, in the same order, without loading whole listings."""
    return session.execute(_numbered(select(Listing.id, Listing.fields, Listing.status, Listing.price_amount,
                                            Listing.price_per, Listing.quantity), artisan_id)).all()
