"""Each reply sent once, even when a worker dies between Twilio's accept and our record of it.

Twilio's `messages.create` has no idempotency key (only its webhooks carry I-Twilio-Idempotency-Token), so before a
reply leaves, its intent is committed on its own: status "sending", a fresh attempt token, the time. A reply found
still "sending" later (the worker was killed, PostgreSQL went away before the record, or the create timed out) is
first looked up in Twilio's message list (`Outbox.find`); only if Twilio has no such message is it sent again.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.outbound import OutboundMessage, Outbox, SendResult
from db import Database
from db.models import Message

UNSENT = ("pending", "sending")  # a reply still owed: never tried or failed ("pending"), or its outcome unknown

_messages = Message.__table__
_INTENT = (update(_messages).where(_messages.c.id == bindparam("row_id"))
           .values(status="sending", idempotency_token=bindparam("token"), extra=bindparam("extra")))


def intend(session: Session, row, now: datetime, db: Database, *, autocommit: bool) -> None:
    """Commit that this reply (a row of the outbox's pending query) is about to leave, before it does."""
    extra = {**(row.extra or {}), "sending_at": now.isoformat()}
    session.connection().execute(_INTENT, {"row_id": row.id, "token": f"send:{uuid.uuid4().hex}", "extra": extra})
    if not autocommit:  # an autocommit session has committed the UPDATE already
        db.commit(session)


def already_sent(session: Session, outbox: Outbox, row, message: OutboundMessage) -> SendResult | None:
    """What the channel holds of an interrupted send of this reply, or None when it has none (send it again).

    A channel without a message list (the simulator) cannot be asked: the reply is sent again."""
    find = getattr(outbox, "find", None)
    if find is None:
        return None
    since = datetime.fromisoformat((row.extra or {}).get("sending_at") or row.created_at.isoformat())
    candidates = find(message, since)
    if not candidates:
        return None
    # A message already recorded as another reply (the same words said twice) is not this one.
    known = set(session.scalars(select(Message.twilio_sid).where(
        Message.twilio_sid.in_([c.sid for c in candidates]))))
    fresh = [c for c in candidates if c.sid not in known]
    return fresh[-1] if fresh else None  # the oldest: the list is newest first
