"""What the artisan said, in one object the parsers can question: text, intent, entities, a picked option."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from flows.types import Inbound, Reader

DIGITS = {0x0966 + i: str(i) for i in range(10)}  # Devanagari digits
BARE_NUMBER = re.compile(r"^\s*(\d{1,7})\s*[.)]?\s*$")
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)  # an Inbound needs a time; parsers never read it


@dataclass
class Answer:
    """One inbound message as the engine reads it."""

    inbound: Inbound
    parse: dict[str, Any]
    intent_override: str | None = None  # from a tapped button or a numbered option
    option: str | None = None  # id of the offered option the artisan picked

    @classmethod
    def of(cls, text: str, read: Reader, expect: str | None = None) -> Answer:
        """A text read on its own by `read` (a fragment, a field typed by staff), outside any conversation."""
        reading = read(text, expect=expect) if expect else read(text)
        return cls(Inbound(EPOCH, text=text, read=read), reading)

    @property
    def text(self) -> str:
        return (self.inbound.text or "").strip()

    @property
    def intent(self) -> str | None:
        if self.intent_override:
            return self.intent_override
        intent = self.parse.get("intent") or {}
        return intent.get("name")

    def entities(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.parse.get("entities") or () if e.get("entity") == name]

    def first(self, name: str) -> dict[str, Any] | None:
        found = self.entities(name)
        return found[0] if found else None

    def any_of(self, *names: str) -> dict[str, Any] | None:
        """The first entity of the first of these kinds that nlu found."""
        return next((entity for name in names for entity in self.entities(name)), None)

    def pick(self, option: str | None) -> None:
        """The offered option the artisan picked; "intent:<name>" options stand for that intent."""
        self.option = option
        if (option or "").startswith("intent:"):
            self.intent_override = option.removeprefix("intent:")

    def bare_number(self) -> int | None:
        """The number, when the whole message is just a number ("2", "२", "2.")."""
        match = BARE_NUMBER.match(self.text.translate(DIGITS))
        return int(match.group(1)) if match else None

    def picked(self, prefix: str) -> int | None:
        """The index picked from an offered list `prefix:<i>`, if any."""
        if self.option and self.option.startswith(prefix + ":"):
            return int(self.option.rsplit(":", 1)[1])
        return None
