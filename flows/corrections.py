"""Corrections in the draft: "nahi, keemat 1500 hai", "rang neela karo", or "badlo" at the summary."""
from __future__ import annotations

from flows import choices, filling, parsers
from flows.listing import FIELDS, FREE_TEXT, LISTING, ask_next
from flows.summary import value
from flows.turn import Turn
from flows.types import DiscardPhotos, Retry


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
    answer = turn.answer
    current = turn.state.get("step")
    if current in FREE_TEXT and len(answer.text.split()) > 4:
        return False  # a sentence at the description question is the description, whatever words it has
    if answer.intent == "edit":
        name = field_named(turn)
        if not name:
            ask_which(turn)
            return True
        if name == current and name != "description" and not isinstance(LISTING.get(name).parse(answer), Retry):
            return False  # "keemat 500" at the price question is the answer to it
        return change(turn, name)
    if answer.intent in ("deny", "inform", None) and current not in ("photos", *FREE_TEXT):
        return _other_value(turn)  # at the summary too: "7 nahi, 9 sweater hain"
    return False


def _other_value(turn: Turn) -> bool:
    """"nahin, khes hai" or "rang neela hai" while another question is asked: a new value for a field already
    filled; False when the message answers the current question instead."""
    answer, current = turn.answer, turn.state.get("step")
    if answer.intent != "deny" and not isinstance(LISTING.get(current).parse(answer), Retry):
        return False
    changed = []
    for step in LISTING.steps:
        found = step.extract(answer) if step.extract and step.name != current else None
        if found and turn.state["slots"].get(step.name) not in (None, found):
            filling.set_slot(turn, step, found)
            changed.append(step.name)
    for name in changed:
        turn.note("changed", field=label(turn, name), value=value(turn.state["slots"], name, turn.lang))
    if changed:
        ask_next(turn)
    return bool(changed)


def change(turn: Turn, name: str) -> bool:
    """Set the named field from this message if it holds a value, else ask for it."""
    step = LISTING.get(name)
    if name == "photos":
        discard_photos(turn)
        filling.ask(turn, LISTING, step)
        return True
    found = step.parse(turn.answer) if name != "description" else Retry(name)
    if isinstance(found, Retry):
        turn.state["focus"] = name
        filling.ask(turn, LISTING, step)
        return True
    if name == "colour" and parsers.adds(turn.answer):  # "rang mein hara bhi daalo": one more colour
        found = (turn.state["slots"].get("colour") or []) + [c for c in found
                                                             if c not in (turn.state["slots"].get("colour") or [])]
    filling.set_slot(turn, step, found)
    turn.note("changed", field=label(turn, name), value=value(turn.state["slots"], name, turn.lang))
    ask_next(turn)
    return True


def discard_photos(turn: Turn) -> None:
    """New photos instead of the old ones."""
    old = tuple(turn.state["slots"].get("photos") or ())
    if old:
        turn.effect(DiscardPhotos(old))
    turn.state["slots"]["photos"] = []
    turn.state.pop("photos_done", None)


def ask_which(turn: Turn) -> None:
    """Which field to change, as a numbered list."""
    entries = [(f"field:{n}", entry[turn.lang]) for n, entry in enumerate(choices.options("field"), 1)]
    turn.state["pending"] = {"kind": "pick_field"}
    turn.ask_numbered("ask_change", entries)


def pick(turn: Turn) -> bool:
    """The answer to "which field?"."""
    name = field_named(turn)
    turn.state.pop("pending", None)
    if not name:
        return False
    return change(turn, name)


def label(turn: Turn, name: str) -> str:
    return turn.text(f"label_{name}")
