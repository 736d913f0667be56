"""What leaves for an artisan and what its channel answers: the message, its text in parts a channel takes, the
result and how a send fails. Every channel (Twilio, the simulator's recorder) is an `Outbox`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol



@dataclass(frozen=True)
class OutboundMessage:
    """A reply ready to leave: our message id (for status callbacks), address, channel, text and extras."""

    message_id: int
    address: str
    channel: str  # "whatsapp" | "sms"
    text: str
    buttons: tuple[dict, ...] = ()  # [{"id", "title"}]
    media_urls: tuple[str, ...] = ()
    in_reply_to: int | None = None  # the inbound message id this answers, if any
    last_inbound_at: datetime | None = None  # the artisan's last message: opens WhatsApp's 24-hour window
    template: dict | None = None  # {"sid": "HX…", "variables": {"1": …}}: an approved template (outside the 24 h window)


@dataclass(frozen=True)
class SendResult:
    """What the channel said: its id for the message and the first status."""

    sid: str | None
    status: str  # "queued" | "sent" | "delivered" | "failed"
    error_code: str | None = None


class SendError(RuntimeError):
    """A send failed; `permanent` says whether trying again could help."""

    def __init__(self, message: str, *, code: str | None = None, permanent: bool = False,
                 retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.permanent = permanent
        self.retry_after = retry_after  # seconds the channel asked us to wait (Twilio's 429 Retry-After)

    @property
    def uncertain(self) -> bool:
        """The channel may have taken the message even so (a timeout, a dropped connection): look before re-sending."""
        return self.code == "network"


class RecipientOptedOut(SendError):
    """The channel says the artisan blocked our messages (Twilio 21610): no sends until they write again."""


class Outbox(Protocol):
    """Sends one message to an artisan (Twilio in production, a recorder in the simulator)."""

    def send(self, message: OutboundMessage) -> SendResult: ...

    # A channel with a message list also has `find(message, since) -> list[SendResult]`: what it holds that
    # looks like `message`, sent since then (bot/send_once.py reconciles an interrupted send with it).
