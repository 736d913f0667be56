"""The artisan corrects their profile at any step after consent: "mera naam Sunita hai", "naam galat hai, Sunita
likho", "mera zila Hisar hai", "main phulkari banati hu". nlu marks such a statement (a `profile` entity naming the
field, and `person_name` for a name); it is kept, acknowledged in one line, and the question that was being asked is
asked again. "naam galat hai" alone asks for the right name first."""
from __future__ import annotations

from typing import Any

from flows import draft, filling, onboarding, questions, things, words
from flows.answer import Answer
from flows.names import person_name
from flows.onboarding import ONBOARDING
from flows.turn import Turn
from flows.types import Bilingual, Retry, SaveProfile

FIELDS = ("name", "district", "craft")
SHORT = 6  # words: a name statement this short at the description question is about the artisan, not the product
ASK = {"name": "ask_profile_name", "district": "ask_profile_district", "craft": "ask_profile_craft"}


def handle(turn: Turn) -> bool:
    """A profile statement (or the answer to "which name, then?"); True when it was one and is handled."""
    waiting = (turn.state.pending or {}).get("kind")
    if waiting in PENDING and PENDING[waiting](turn, turn.state.pending):
        return True
    if not _may_change(turn):
        return False
    said = statement(turn.answer)
    if said and not _answers_the_question(turn, said):
        return _take(turn, said)
    return _asks_to_fix(turn)


def _may_change(turn: Turn) -> bool:
    """After consent, with a message in words (a photo's caption is about the photo)."""
    return bool(turn.state.consent) and turn.state.step != "consent" and not turn.inbound.photos


def statement(answer: Answer) -> dict[str, Any]:
    """The profile fields the message states, with their values ({} when it states none)."""
    fields = {entity.get("value") for entity in answer.entities("profile")}
    found = {field: READ[field](answer) for field in FIELDS if field in fields}
    return {field: value for field, value in found.items() if value}


def _stated_name(answer: Answer) -> str | None:
    """The `person_name` nlu read, as a name is kept (capitals for Roman letters), if it can be one."""
    said = (answer.first("person_name") or {}).get("value")
    if not said:
        return None
    name = person_name(Answer.of(str(said), answer.inbound.read))
    return None if isinstance(name, Retry) else name


def _stated_craft(answer: Answer) -> Bilingual | None:
    return things.extract("craft")(answer) or things.extract("product")(answer)


READ = {"name": _stated_name, "district": things.extract("district"), "craft": _stated_craft}


def _answers_the_question(turn: Turn, said: dict) -> bool:
    """The statement is the answer to the question being asked: the profile step itself ("mera naam Sunita hai" at
    the name question), "main jutti banati hu" at the product question, a sentence at the description question."""
    step = turn.state.step
    if turn.state.flow == "onboarding":
        return step in said
    if step == "product":
        return set(said) == {"craft"}
    return step == "description" and not ("name" in said and len(turn.answer.text.split()) <= SHORT)


def _take(turn: Turn, said: dict) -> bool:
    """Keep the new values, say so, and ask again what was being asked (a waiting "sure?" is dropped)."""
    turn.state.pending = None
    for field, value in said.items():
        change(turn, field, value)
    questions.ask_again(turn)
    return True


def change(turn: Turn, field: str, value: Any) -> None:
    """One profile field changed: the onboarding's slot, or the saved profile (and the artisan's record)."""
    if turn.state.flow == "onboarding":
        turn.state.fill(field, value)
    elif (turn.state.profile or {}).get(field) != value:
        turn.state.profile = {**(turn.state.profile or {}), field: value}
        turn.effect(SaveProfile({field: value}))
    shown = value.said_in(turn.lang) if isinstance(value, Bilingual) else value
    turn.note(f"profile_set_{field}", value=shown)


def _asks_to_fix(turn: Turn) -> bool:
    """"naam galat hai", "zila galat likha hai": the right value is asked for, then the question asked before."""
    field = (turn.answer.first("field") or {}).get("value")
    if turn.answer.intent != "edit" or field not in FIELDS:
        return False
    turn.state.pending = {"kind": "profile_field", "field": field}
    turn.ask(ASK[field])
    return True


def _fixed(turn: Turn, pending: dict) -> bool:
    """The value asked for by `_asks_to_fix`: kept and acknowledged; anything else goes on as a usual message."""
    turn.state.pending = None
    field = pending["field"]
    value = _stated(turn.answer, field) or ONBOARDING.get(field).parse(turn.answer)
    if isinstance(value, Retry) or not value:
        return False
    change(turn, field, value)
    questions.ask_again(turn)
    return True


def _stated(answer: Answer, field: str) -> Any:
    return READ[field](answer) if field == "name" else None


def _name_checked(turn: Turn, pending: dict) -> bool:
    """ask_name_check ("is your name Hisar?"): yes keeps it; "nahi, mera naam Sunita hai" keeps Sunita; a bare no asks the name again.
    When it was not their name, what it named (Hisar, a district) fills that slot; another answer goes on as usual."""
    turn.state.pending = None
    said, agreed = _stated_name(turn.answer), words.yes_no(turn.answer)
    if said is None and agreed is True:
        return _named(turn, pending["name"])
    _keep_facts(turn, pending.get("facts") or {})
    if said:
        return _named(turn, said)
    if agreed is False:
        filling.ask(turn, ONBOARDING, ONBOARDING.get("name"))
        return True
    return False


def _named(turn: Turn, name: str) -> bool:
    filling.set_slot(turn, ONBOARDING.get("name"), name)
    turn.note("name_thanks", name=name)
    onboarding.go_on(turn, draft.start)
    return True


def _keep_facts(turn: Turn, facts: dict) -> None:
    """"hisar" said for the name was the district: it fills the district, unless that is already given."""
    for slot, value in facts.items():
        if not turn.state.filled(slot):
            turn.state.fill(slot, Bilingual.from_record(value))


PENDING = {"profile_field": _fixed, "name_check": _name_checked}
