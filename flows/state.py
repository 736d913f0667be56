"""`State`: where one artisan's conversation stands, one typed field per thing the engine remembers.

It is stored as four columns of the conversation (flow, step, slots, language) and a JSON `context` with the
rest: `State.from_record(...)` reads that layout and `to_record()` writes it. In memory, named things are
`Bilingual` values; stored, they are {"hi", "en"} pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from flows.types import Bilingual, stored

COLUMNS = ("flow", "step", "slots", "language")  # in their own columns; everything else goes to `context`
NAMED = ("product", "material", "thread", "district", "craft")  # slots holding one Bilingual
LISTED = ("colour",)  # slots holding a list of Bilinguals
EMPTY = (None, "", [])  # a slot holding one of these is not filled


@dataclass
class State:
    """One conversation's state; what is not set has its empty default (and is not stored)."""

    flow: str | None = None  # "onboarding" | "listing" | "menu"
    step: str | None = None  # the question last asked
    slots: dict[str, Any] = field(default_factory=dict)  # the answers: the profile in onboarding, else the draft
    language: str = "hi"
    skipped: list[str] = field(default_factory=list)  # optional steps the artisan skipped
    misses: dict[str, int] = field(default_factory=dict)  # answers in a row that could not be used, by step
    focus: str | None = None  # a step asked again by "back" or "badlo", asked before the first empty one
    pending: dict[str, Any] | None = None  # a waiting yes/no or pick: {"kind": ..., and its data}
    offered: list[tuple[str, str]] = field(default_factory=list)  # (id, title) of the buttons or numbers shown
    photos_done: bool = False  # the artisan said the photos are all sent
    bad_photos: list[dict[str, Any]] = field(default_factory=list)  # {"id", "quality", "verdict"}, unusable
    photo_rounds: int = 0  # bad photos sent in a row without a good one
    kept_retakes: list[int] = field(default_factory=list)  # draft photos kept though they failed the check
    size_numbers: dict[str, Any] | None = None  # "6 bai 4" waiting for its unit: {"length", "width"}
    quantity_unit: str | None = None  # what the quantity was counted in ("pair", "dozen"), for the price
    last_at: datetime | None = None  # the last message
    nudged_at: datetime | None = None  # the reminder about a half-done draft
    opted_out: bool = False
    deleted: bool = False  # the artisan's data was deleted: their next message starts afresh
    consent: str | None = None  # the consent version they agreed to
    profile: dict[str, Any] | None = None  # {"name", "district", "craft"}, once onboarding is done
    opener: dict[str, Any] | None = None  # a first message with facts ({"text", "parse"}), read after consent
    early_photos: list[int] = field(default_factory=list)  # good photos sent before the draft, for it
    early_slots: dict[str, Any] = field(default_factory=dict)  # product facts said before the draft, for it
    human_asked_at: datetime | None = None  # the artisan asked for a person: the form waits (flows/waiting.py)

    @classmethod
    def from_record(cls, flow: str | None = None, step: str | None = None, slots: dict | None = None,
                    language: str | None = None, context: dict | None = None) -> State:
        """The state stored in a conversation's columns and JSON context (keys it does not know are dropped)."""
        return cls(flow=flow, step=step, slots=_typed(slots), language=language or "hi", **_context(context))

    def to_record(self) -> dict[str, Any]:
        """The columns and the JSON context, new objects each time; unset fields are left out of the context."""
        context = {name: _written(getattr(self, name)) for name in CONTEXT if getattr(self, name)}
        return {"flow": self.flow, "step": self.step, "slots": stored(self.slots), "language": self.language,
                "context": context}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> State:
        """A state from its one-dict form (`to_dict`)."""
        return cls.from_record(**{column: values.get(column) for column in COLUMNS}, context=values)

    def to_dict(self) -> dict[str, Any]:
        """The whole state as one JSON dict: the columns and the context side by side."""
        record = self.to_record()
        return {**record.pop("context"), **record}

    def has_draft(self) -> bool:
        """Any slot filled (a listing draft with something in it)."""
        return any(value not in EMPTY for value in self.slots.values())

    def drafting(self) -> bool:
        """In the listing flow, with something in the draft."""
        return self.flow == "listing" and self.has_draft()

    def idle_draft(self, now: datetime) -> timedelta:
        """How long a listing draft with something in it has been left untouched (zero when there is none)."""
        return now - self.last_at if self.drafting() and self.last_at else timedelta(0)

    def filled(self, name: str) -> bool:
        return self.slots.get(name) not in EMPTY

    def fill(self, name: str, value: Any) -> None:
        """A value for a field: it is no longer skipped."""
        self.slots[name] = value
        if name in self.skipped:
            self.skipped.remove(name)

    def skip(self, name: str) -> None:
        self.skipped.append(name)

    def unfocus(self, name: str) -> None:
        """The step asked again is answered."""
        if self.focus == name:
            self.focus = None

    def miss(self, name: str) -> int:
        """One more answer at `name` that could not be used; how many in a row now."""
        self.misses[name] = self.misses.get(name, 0) + 1
        return self.misses[name]

    def empty_draft(self) -> None:
        """No slots, nothing skipped or missed (the photos asked afresh)."""
        self.slots, self.skipped, self.misses = {}, [], {}
        self.photos_done = False
        self.kept_retakes = []


CONTEXT = tuple(f.name for f in fields(State) if f.name not in COLUMNS)


def set_field(state: State, name: str, value: Any) -> None:
    """Set a field from outside the conversation (the helpdesk's draft editor): the value, no longer skipped."""
    state.fill(name, value)


def _same(value: Any) -> Any:
    return value


def _bilinguals(values: Any) -> Any:
    return [Bilingual.from_record(value) for value in values] if isinstance(values, list) else values


TYPED = {**dict.fromkeys(NAMED, Bilingual.from_record), **dict.fromkeys(LISTED, _bilinguals)}


def _typed(values: dict | None) -> dict[str, Any]:
    """Stored slots (or profile, or early facts) with their named things as Bilinguals."""
    return {name: TYPED.get(name, _same)(value) for name, value in (values or {}).items()}


def _options(offered: list) -> list[tuple[str, str]]:
    return [tuple(option) for option in offered]


READ = {"last_at": datetime.fromisoformat, "nudged_at": datetime.fromisoformat, "offered": _options,
        "human_asked_at": datetime.fromisoformat,
        "profile": _typed, "early_slots": _typed}  # how a context value becomes the field's value


def _context(context: dict | None) -> dict[str, Any]:
    """The State fields kept in a stored context."""
    found = {name: (context or {}).get(name) for name in CONTEXT}
    return {name: READ.get(name, _same)(value) for name, value in found.items() if value is not None}


def _written(value: Any) -> Any:
    """A State field's value as the JSON context keeps it."""
    return value.isoformat() if isinstance(value, datetime) else stored(value)
