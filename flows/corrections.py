"""Corrections in the draft: "nahi, keemat 1500 hai", "rang neela karo", or "badlo" at the summary."""
from __future__ import annotations

from flows import choices, draft, filling, questions, words
from flows.listing import FIELDS, FREE_TEXT, LISTING
from flows.summary import value
from flows.turn import Turn
from flows.types import Retry

ANSWERING = ("deny", "inform", None)  # intents of a message that may hold another field's new value


def field_named(turn: Turn) -> str | None:
    """The draft field the message names: nlu's `field` entity (it comes with an edit: "rang neela karo"), a
    picked number, or a bare field name answering "which one?" ("rang")."""
    answer = turn.answer
    entity = answer.first("field")
    if entity and entity.get("value") in FIELDS:
        return entity["value"]
    picked = answer.picked("field")
    if picked:
        return choices.options("field")[picked - 1]["slot"]
    text = answer.text.strip().lower()
    return next((entry["slot"] for entry in choices.options("field")
                 if text in {entry["hi"], entry["en"], *entry.get("also", ())}), None)


def handle(turn: Turn) -> bool:
    """A correction of a draft field; returns False when the message is not one (or answers the question)."""
    answer, current = turn.answer, turn.state.step
    if current in FREE_TEXT and len(answer.text.split()) > 4:
        return False  # a sentence at the description question is the description, whatever words it has
    if answer.intent == "edit":
        return _edit(turn, field_named(turn))
    if answer.intent in ANSWERING and current not in ("photos", *FREE_TEXT):
        return _other_value(turn)  # at the summary too: "7 nahi, 9 sweater hain"
    return False


def _edit(turn: Turn, name: str | None) -> bool:
    """"rang neela karo": change that field; "badlo" alone asks which one."""
    if not name:
        questions.which_field(turn)
        return True
    if name == turn.state.step and name != "description" and _answers(turn, name):
        return False  # "keemat 500" at the price question is the answer to it
    return change(turn, name)


def _answers(turn: Turn, name: str) -> bool:
    """The message is an answer to the question `name`."""
    return not isinstance(LISTING.get(name).parse(turn.answer), Retry)


def _other_value(turn: Turn) -> bool:
    """"nahin, khes hai" or "rang neela hai" while another question is asked: a new value for a field already
    filled; False when the message answers the current question instead."""
    current = turn.state.step
    if turn.answer.intent != "deny" and _answers(turn, current):
        return False
    changed = [step.name for step in LISTING.steps if step.name != current and _changed(turn, step)]
    for name in changed:
        _say_changed(turn, name)
    if changed:
        draft.ask_next(turn)
    return bool(changed)


def _changed(turn: Turn, step) -> bool:
    """The message gives a new value for a field already filled: it is set."""
    found = step.extract(turn.answer) if step.extract else None
    if not found or turn.state.slots.get(step.name) in (None, found):
        return False
    filling.set_slot(turn, step, found)
    return True


def change(turn: Turn, name: str) -> bool:
    """Set the named field from this message if it holds a value, else ask for it."""
    step = LISTING.get(name)
    if name == "photos":
        draft.discard_photos(turn)
        filling.ask(turn, LISTING, step)
        return True
    found = step.parse(turn.answer) if name != "description" else Retry(name)
    if isinstance(found, Retry):
        turn.state.focus = name
        filling.ask(turn, LISTING, step)
        return True
    if name == "colour" and words.adds(turn.answer):  # "rang mein hara bhi daalo": one more colour
        had = turn.state.slots.get("colour") or []
        found = had + [c for c in found if c not in had]
    filling.set_slot(turn, step, found)
    _say_changed(turn, name)
    draft.ask_next(turn)
    return True


def _say_changed(turn: Turn, name: str) -> None:
    turn.note("changed", field=turn.text(f"label_{name}"), value=value(turn.state.slots, name, turn.lang))


def pick(turn: Turn) -> bool:
    """The answer to "which field?"."""
    name = field_named(turn)
    turn.state.pending = None
    return change(turn, name) if name else False
