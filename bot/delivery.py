"""After a reply leaves: delivery status from Twilio's callbacks (forward only), send retries, notices."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

import flows
from bot import conversation_ops as ops
from bot.outbox import UNSENT, wait_left
from bot.send_backoff import backoff_seconds
from db.models import Artisan, Conversation, Message
from bot.handoff import act
from flows.types import Reply

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.delivery")

# queued → sent → delivered → read; failed/undelivered/canceled end it unless it was already delivered.
RANK = {"pending": 0, "accepted": 1, "scheduled": 1, "queued": 1, "sending": 2, "sent": 3, "delivered": 4, "read": 5}
FAILED = ("failed", "undelivered", "canceled")
OPT_OUT_CODES = ("21610",)
STATUS_RETRIES = 5  # a callback that beats its message's commit is tried again this many times


def moves_forward(current: str | None, new: str) -> bool:
    """True when `new` is later than `current`; callbacks arrive out of order and must never go back."""
    if current in FAILED:
        return False
    if new in FAILED:
        return _rank(current) < RANK["delivered"]
    return new in RANK and RANK[new] > _rank(current)


def _rank(status: str | None) -> int:
    """A status's place in RANK (no status yet is "pending")."""
    return RANK.get(status or "pending", 0)


def apply_status(services: Services, sid: str, status: str, error_code: str | None = None) -> bool:
    """Record a status callback for our message `sid`; False when no such message is known (yet)."""
    status = (status or "").strip().lower()
    with services.db.session() as session:
        row = session.scalar(select(Message).where(Message.twilio_sid == sid, Message.direction == "out")
                             .with_for_update())
        if row is None:
            return False
        if not moves_forward(row.status, status):
            return True
        _record(session, services, row, status, error_code)
        conv_id, msg_id = row.conversation_id, row.id
    services.events.publish("message", {"conversation_id": conv_id, "message_id": msg_id})
    return True


def _record(session, services: Services, row: Message, status: str, error_code: str | None) -> None:
    """The new status (and error code) on the message; a failure goes to staff, or stops sends after a block."""
    row.status = status
    if error_code:
        row.error_code = str(error_code)[:16]
    if status in FAILED:
        _failed(session, services, row, str(error_code or ""))


def _failed(session, services: Services, row: Message, code: str) -> None:
    """A reply that did not arrive: staff see why; a block (21610) stops all sends like STOP does."""
    conv = session.get(Conversation, row.conversation_id)
    artisan = session.get(Artisan, conv.artisan_id)
    now = services.clock()
    if code in OPT_OUT_CODES and artisan.opted_out_at is None:
        ops.opt_out(session, artisan, now=now, actor="system", code=code, conversation_id=conv.id)
        return
    ops.flag(session, conv, "send_failed", f"message {row.id}: {row.status} {code}".strip(), now=now, actor="bot",
             code=code)


def retry_delay(services: Services, conversation_id: int) -> float | None:
    """Seconds until the conversation's first unsent reply should be tried again (the time its failed send set:
    backoff with jitter, or Twilio's Retry-After); None if nothing waits."""
    with services.db.session() as session:
        row = session.scalar(select(Message).where(
            Message.conversation_id == conversation_id, Message.direction == "out",
            Message.status.in_(UNSENT)).order_by(Message.id).limit(1))
        if row is None or not row.attempts:
            return None
        wait = wait_left(row.extra, services.clock())
        return backoff_seconds(float(services.settings["TWILIO_RETRY_SECONDS"]), row.attempts) if wait is None else wait


def notice(services: Services, conversation_id: int, key: str) -> None:
    """Send the artisan one catalogue text (e.g. "slow_down") outside the engine, in order with other replies."""

    def say(session, conv, artisan, now):
        return [(Reply(flows.prompts.say(key, conv.language or "hi")), "bot", {"notice": key})]

    act(services, conversation_id, say, author="bot")
