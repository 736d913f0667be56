"""The name question's one check: an answer that is all a district, craft, product or number ("hisar") is asked about
once ("aapka naam Hisar hai? haan ya nahi", ask_name_check) before it becomes the artisan's name; what it named waits for its own slot."""
from __future__ import annotations

import re

from flows import things
from flows.answer import Answer
from flows.turn import Turn
from flows.types import stored

NOT_NAMES = ("district", "craft", "product", "material", "colour", "number", "amount_of_money", "quantity")
WORD = re.compile(r"[^\s,.।!?()]+")
YES_NO = (("intent:affirm", "btn_yes"), ("intent:deny", "btn_no"))
FACTS = ("district", "craft")  # slots the answer may have been meant for ("hisar" answers the district question)


def suspicious(answer: Answer, name: str) -> bool:
    """Every word of the name is something nlu read as another kind of thing (not "Girdhari Lal", whose lal is a
    colour only in part of the name)."""
    text = answer.inbound.text or ""
    spans = [(e["start"], e["end"]) for e in answer.parse.get("entities") or ()
             if e.get("entity") in NOT_NAMES and "start" in e]
    at = max(text.lower().find(name.lower()), 0)
    words = [m.span() for m in WORD.finditer(text, at, at + len(name) if name.lower() in text.lower() else len(text))]
    return bool(spans and words) and all(any(s <= a and b <= e for s, e in spans) for a, b in words)


def ask(turn: Turn, name: str) -> None:
    """ask_name_check ("is your name Hisar?"): the name and what else it may be wait for the answer."""
    facts = {slot: found for slot in FACTS if (found := _fact(turn.answer, slot))}
    turn.state.pending = {"kind": "name_check", "name": name, "facts": stored(facts)}
    turn.ask("ask_name_check", list(YES_NO), name=name)


def _fact(answer: Answer, slot: str):
    found = things.extract(slot)(answer)
    return found or (things.extract("product")(answer) if slot == "craft" else None)
