"""Corrections in the draft: "nahi, keemat 1500 hai", "rang neela karo", or "badlo" at the summary."""
from __future__ import annotations

from typing import Any

from flows import choices, draft, filling, questions, words
from flows.listing import FIELDS, FREE_TEXT, LISTING
from flows.model import Step
from flows.summary import value
from flows.turn import Turn
from flows.types import Retry

ANSWERING = ("deny", "inform", None)  # intents of a message that may hold another field's new value
ASKED = ("photos", "description")  # never taken from a correction: new photos, their own words are asked for
SENTENCE = 4  # words: more than this at the description question is the description


def field_named(turn: Turn) -> str | None:
    """The draft field the message names: nlu's `field` entity (it comes with an edit: "rang neela karo"), a
    picked number, or a bare field name answering "which one?" ("rang")."""
    answer = turn.answer
    named = (answer.first("field") or {}).get("value")
    if named in FIELDS:
        return named
    picked = answer.picked("field")
    return choices.options("field")[picked - 1]["slot"] if picked else _field_called(answer.text.strip().lower())


def _field_called(text: str) -> str | None:
    """The field whose name (in either language, or another spelling) is the whole text."""
    return next((entry["slot"] for entry in choices.options("field")
                 if text in {entry["hi"], entry["en"], *entry.get("also", ())}), None)


def handle(turn: Turn) -> bool:
    """A correction of a draft field; returns False when the message is not one (or answers the question)."""
    if _description_said(turn):
        return False  # a sentence at the description question is the description, whatever words it has
    if turn.answer.intent == "edit":
        return _edit(turn, field_named(turn))
    return _may_hold_a_value(turn) and _other_value(turn)  # at the summary too: "7 nahi, 9 sweater hain"


def _description_said(turn: Turn) -> bool:
    return turn.state.step in FREE_TEXT and len(turn.answer.text.split()) > SENTENCE


def _may_hold_a_value(turn: Turn) -> bool:
    return turn.answer.intent in ANSWERING and turn.state.step not in ("photos", *FREE_TEXT)


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
    if turn.answer.intent != "deny" and _answers(turn, turn.state.step):
        return False
    changed = _new_values(turn)
    _say_changed(turn, changed)
    if changed:
        draft.ask_next(turn)
    return bool(changed)


def _new_values(turn: Turn) -> list[str]:
    """The fields, besides the one asked, that the message gives a new value for; they are set."""
    return [step.name for step in LISTING.steps if step.name != turn.state.step and _changed(turn, step)]


def _changed(turn: Turn, step: Step) -> bool:
    """The message gives a new value for a field already filled: it is set."""
    found = step.extract(turn.answer) if step.extract else None
    if not found or turn.state.slots.get(step.name) in (None, found):
        return False
    filling.set_slot(turn, step, found)
    return True


def change(turn: Turn, name: str) -> bool:
    """Set the named field from this message if it holds a value, else ask for it."""
    step = LISTING.get(name)
    found = Retry(name) if name in ASKED else step.parse(turn.answer)
    if isinstance(found, Retry):
        return _ask_for(turn, step)
    filling.set_slot(turn, step, _with_colours_had(turn, step, found))
    _say_changed(turn, [name])
    draft.ask_next(turn)
    return True


def _ask_for(turn: Turn, step: Step) -> bool:
    """The field's question again: new photos instead of the old ones, else asked before the first empty one."""
    if step.name == "photos":
        draft.discard_photos(turn)
    else:
        turn.state.focus = step.name
    filling.ask(turn, LISTING, step)
    return True


def _with_colours_had(turn: Turn, step: Step, found: Any) -> Any:
    """"rang mein hara bhi daalo": one more colour, added to those given."""
    if step.name != "colour" or not words.adds(turn.answer):
        return found
    had = turn.state.slots.get("colour") or []
    return had + [colour for colour in found if colour not in had]


def _say_changed(turn: Turn, names: list[str]) -> None:
    for name in names:
        turn.note("changed", field=turn.text(f"label_{name}"), value=value(turn.state.slots, name, turn.lang))


def pick(turn: Turn) -> bool:
    """The answer to "which field?"."""
    name = field_named(turn)
    turn.state.pending = None
    return change(turn, name) if name else False
