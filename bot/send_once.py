"""Each reply sent once, even when a worker dies between Twilio's accept and our record of it.

Twilio's `messages.create` has no idempotency key (only its webhooks carry I-Twilio-Idempotency-Token), so before a
reply leaves, its intent is committed on its own (`Sending._intend`: status "sending", a fresh attempt token, the
time). A reply found still "sending" later (the worker was killed, PostgreSQL went away before the record, or the
create timed out) is first looked up in Twilio's message list (`Outbox.find`); only if Twilio has no such message
is it sent again.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.outbound import OutboundMessage, Outbox, SendResult
from db.models import Message


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
