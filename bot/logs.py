"""Logging with phone numbers masked, one line per message in or out."""
from __future__ import annotations

import logging
import re

log = logging.getLogger("hunar.messages")

_NUMBER = re.compile(r"\+?\d{7,15}")


def mask(address: str | None) -> str:
    """+919812343210 → +91•••••43210: enough to tell artisans apart in a log, not enough to call them."""
    if not address:
        return "-"
    prefix, _, rest = address.rpartition(":")
    prefix = prefix + ":" if prefix else ""
    if _NUMBER.fullmatch(rest):
        digits = rest.lstrip("+")
        keep_tail = 5 if len(digits) > 8 else 3
        head = "+" + digits[:2] if rest.startswith("+") else digits[:2]
        return f"{prefix}{head}{'•' * (len(digits) - 2 - keep_tail)}{digits[-keep_tail:]}"
    # A BSUID or anything else: keep its country part and a short tail.
    return f"{prefix}{rest[:3]}…{rest[-4:]}" if len(rest) > 8 else f"{prefix}•••"


def log_message(direction: str, channel: str, address: str, text: str, media: int = 0, status: str = "") -> None:
    """One line per message: direction, channel, masked address, length, media count, status."""
    log.info("%s %s %s chars=%d media=%d %s", direction, channel, mask(address), len(text or ""), media, status)


_ANY_NUMBER = re.compile(r"(?<![\w•])(?:whatsapp:)?\+?\d{10,15}(?!\d)")


class MaskNumbers(logging.Filter):
    """Masks anything that looks like a phone number in every log line, whoever wrote it (defence in depth)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_all(message)
        if masked != message:
            record.msg, record.args = masked, None
        # A traceback (a database error quoting its parameters, say) is formatted here, once, and masked:
        # every formatter uses `exc_text` when it is set.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_all(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_all(record.stack_info)
        return True


def mask_all(text: str) -> str:
    """`text` with every phone-like number in it masked."""
    return _ANY_NUMBER.sub(lambda m: mask(m.group(0)), text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the error, when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        import json

        entry = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info or record.exc_text:  # exc_text: already formatted, and masked, by MaskNumbers
            entry["error"] = record.exc_text or mask_all(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
