"""What a failed send does: a transient failure waits for its time (bot/send_backoff.py), a block stops every
send, and a reply given up is flagged for staff. Off the common path: `Sending` (bot/outbox.py) mixes it in."""
from __future__ import annotations

import logging

from bot import conversation_ops as ops
from bot.outbound import OutboundMessage, RecipientOptedOut, SendError
from bot.send_backoff import MAX_SEND_ATTEMPTS, retry_at
from bot.telemetry import log_message
from db.models import Artisan, Conversation, Message

log = logging.getLogger("hunar.outbox")


class FailedSends:
    """`Sending`'s handling of a failed send (it has `clock`, `metrics` and `retry_seconds`)."""

    def _failed(self, session, conversation_id: int, to, message_id: int,
                message: OutboundMessage, exc: SendError, unsure: bool) -> str:
        """Record a failed send: "retry" for a transient one, "settled" when the reply is given up (staff see it).
        `unsure`: the channel may have taken it, so it stays "sending" and is looked up before it goes again."""
        row = session.get(Message, message_id, populate_existing=True)
        row.attempts += 1
        row.status = "sending" if unsure else "pending"
        row.error_code = exc.code or "send_error"
        self.metrics.inc("twilio_errors", code=row.error_code)
        if isinstance(exc, RecipientOptedOut):
            self._blocked(session, conversation_id, to, exc)
        if _worth_retrying(exc, row.attempts):
            log.warning("send of message %s failed (attempt %d): %s", row.id, row.attempts, exc)
            row.extra = {**(row.extra or {}), "retry_at": retry_at(self.clock(), self.retry_seconds, row.attempts,
                                                                   exc.retry_after)}
            return "retry"
        self._give_up(session, conversation_id, to, row, message, exc)
        return "settled"

    def _blocked(self, session, conversation_id: int, to, exc: RecipientOptedOut) -> None:
        """They blocked us: stop every send until they write again (once, however many replies were waiting)."""
        if to.opted_out_at is not None:
            return
        artisan = session.get(Artisan, to.artisan_id)
        ops.opt_out(session, artisan, now=self.clock(), actor="system", code=exc.code, conversation_id=conversation_id)
        to.opted_out_at = artisan.opted_out_at

    def _give_up(self, session, conversation_id: int, to, row: Message,
                 message: OutboundMessage, exc: SendError) -> None:
        """The reply failed for good: staff see why in the helpdesk queue."""
        row.status = "failed"
        if to.erased:
            row.extra = {}
        conv = session.get(Conversation, conversation_id)
        ops.flag(session, conv, "send_failed", str(exc)[:500], now=self.clock(), actor="bot", code=row.error_code)
        log_message("out", row.channel, message.address, row.body, len(row.media or []), "failed")


def _worth_retrying(exc: SendError, attempts: int) -> bool:
    """A transient failure with attempts left."""
    return not exc.permanent and attempts < MAX_SEND_ATTEMPTS
