"""One incoming message as the dispatcher takes it, whichever door it came through."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

CHANNELS = ("whatsapp", "sms")
SIMULATED = "sim:"  # the simulator's own address space: "sim:+9198…" is never a real artisan's address


@dataclass(frozen=True)
class Attachment:
    """A piece of media: a URL to fetch (Twilio), or bytes already kept in the media store (simulator, upload)."""

    content_type: str
    url: str | None = None
    staged: str | None = None  # media store key of bytes waiting for their job

    @property
    def kind(self) -> str:
        """"image", "audio", "video" or "document", from the declared type (the photo check sniffs the bytes)."""
        major = self.content_type.split("/", 1)[0].lower()
        return major if major in ("image", "audio", "video") else "document"


@dataclass(frozen=True)
class InboundMessage:
    """What an artisan sent: the address to answer, text, media, and the ids that make it exactly-once."""

    address: str  # "whatsapp:+9198…", "whatsapp:IN.abc…", "+9198…" (SMS) or "sim:+9198…" (the simulator)
    channel: str  # "whatsapp" | "sms"
    text: str = ""
    media: tuple[Attachment, ...] = ()
    sid: str | None = None  # Twilio's MessageSid, or one the simulator makes
    idempotency_token: str | None = None
    profile_name: str | None = None
    wa_id: str | None = None
    button: str | None = None
    location: tuple[float, float] | None = None
    received_at: datetime | None = None
    source: str = "twilio"  # "twilio" | "simulator" | "upload"
    extra: dict = field(default_factory=dict)

    @property
    def phone(self) -> str | None:
        """The E.164 number behind the address, when the address is a number (not a BSUID, not the simulator's)."""
        if self.address.startswith(SIMULATED):
            return None  # a simulated artisan is never matched to a real one by number
        raw = self.address.split(":", 1)[-1]
        if raw.startswith("+") and raw[1:].isdigit():
            return raw
        if self.wa_id and self.wa_id.isdigit():
            return "+" + self.wa_id
        return None
