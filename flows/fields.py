"""`validate_field()`: the bot's own parsers, for the helpdesk's draft editor."""
from __future__ import annotations

from typing import Any

from flows import shoe_sizes
from flows.answer import Answer
from flows.listing import LISTING
from flows.onboarding import ONBOARDING
from flows.types import Reader, Retry

STEPS = {step.name: step for step in (*ONBOARDING.steps, *LISTING.steps)}


def validate_field(field: str, text: str, read: Reader, lang: str = "hi") -> Any:
    """The value the bot would store for `field` from `text` as `read` (the NLU) reads it, or a Retry with the
    reason."""
    step = STEPS.get(field)
    if step is None or not step.editable:
        return Retry("not_editable")
    answer = Answer.of(text, read)
    value = step.parse(answer)
    if field == "size" and isinstance(value, Retry):  # staff write a jutti's sizes as "UK 7" or "7, 8 number"
        return shoe_sizes.read(answer) or value
    return value
