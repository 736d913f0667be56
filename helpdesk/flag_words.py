"""A flag's detail in words staff understand: "Voice note at 17:42", "Asked at the price step", not "media [162]".

The bot records details for its own log ("media [162]", "listing.price", "message 88: failed 63016"); this turns
each reason's into a short sentence, in the desk's time zone, keeping what is already plain text as it is.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

from db import aware
from helpdesk.web import IST

STEP = re.compile(r"^(?:onboarding|listing|menu)\.(\w+)(?::\s*(.*))?$", re.S)
SENT = re.compile(r"^message \d+:\s*(\w+)\s*(\d*)")


def _time(at: datetime) -> str:
    return aware(at).astimezone(IST).strftime("%H:%M")


def _voice_note(detail: str, at: datetime) -> str:
    return f"Voice note at {_time(at)}"


def _at_step(detail: str, at: datetime) -> str:
    """"listing.price: 7 number" → "At the price step: “7 number”"."""
    found = STEP.match(detail)
    if not found:
        return detail
    said = (found.group(2) or "").strip()
    return f"At the {found.group(1)} step" + (f": “{said}”" if said and "silent since" not in said else "")


def _quiet(detail: str, at: datetime) -> str:
    found = STEP.match(detail)
    return f"No answer at the {found.group(1)} step" if found else detail


def _send_failed(detail: str, at: datetime) -> str:
    found = SENT.match(detail)
    if not found:
        return detail
    what = "was not delivered" if found.group(1) == "undelivered" else "could not be sent"
    return f"A reply {what} at {_time(at)}" + (f" (Twilio error {found.group(2)})" if found.group(2) else "")


def _bot_error(detail: str, at: datetime) -> str:
    return f"The bot could not handle a message at {_time(at)}"


WORDS: dict[str, Callable[[str, datetime], str]] = {
    "voice_note": _voice_note, "asked_human": _at_step, "misses": _at_step, "no_reply": _quiet,
    "send_failed": _send_failed, "bot_error": _bot_error,
}


def describe(reason: str, detail: str | None, opened_at: datetime) -> str:
    """The flag's detail for the queue and the Status card ("" when there is nothing to say)."""
    words = WORDS.get(reason)
    if words is not None:
        return words(detail or "", opened_at)
    return detail or ""
