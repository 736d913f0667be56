"""`validate_field()`: the bot's own parsers, for the helpdesk's draft editor."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flows.answer import Answer
from flows.listing import LISTING
from flows.onboarding import ONBOARDING
from flows.types import Inbound, Retry

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)  # parsers never read the time; Inbound needs one


def parse_text(text: str) -> dict:
    """nlu's reading of a text (an empty reading while nlu is not installed)."""
    try:
        from nlu import parse
    except ImportError:
        return {"text": text, "intent": {"name": None, "confidence": 0.0}, "entities": []}
    return parse(text)


def validate_field(field: str, text: str, lang: str = "hi") -> Any:
    """The value the bot would store for `field` from `text`, or a Retry with the reason."""
    steps = {step.name: step for step in (*ONBOARDING.steps, *LISTING.steps)}
    if field not in steps or field in ("photos", "confirm", "consent"):
        return Retry("not_editable")
    return steps[field].parse(Answer(Inbound(EPOCH, text=text), parse_text(text)))
