"""First contact: greeting, consent, name, district, craft; then the first listing."""
from __future__ import annotations

from typing import Callable

from flows import filling, measures, name_check, names, things, words
from flows.answer import Answer
from flows.listing import LISTING
from flows.model import Flow, Step
from flows.state import State
from flows.turn import Turn
from flows.types import Bilingual, FlagHelpdesk, Inbound, RecordConsent, RefuseConsent, Retry, SaveProfile

CONSENT_VERSION = "hunar-consent-v1"
CONSENT_KEY = "consent_v1"
YES_NO = (("intent:affirm", "btn_yes"), ("intent:deny", "btn_no"))

ONBOARDING = Flow("onboarding", steps=(
    Step("consent",  ask=CONSENT_KEY,    parse=words.yes_no, buttons=YES_NO, editable=False),
    Step("name",     ask="ask_name",     parse=names.person_name),
    Step("district", ask="ask_district", parse=things.from_list("district"), extract=things.extract("district"),
         choices="district"),
    Step("craft",    ask="ask_craft",    parse=things.from_list("craft"), extract=things.extract("craft"),
         choices="craft"),
))


def start(turn: Turn) -> None:
    """A brand-new artisan: welcome and the consent question."""
    turn.state.flow, turn.state.step, turn.state.slots = "onboarding", "consent", {}
    turn.note("welcome")
    if turn.answer.intent == "human":
        _person_first(turn)
    filling.ask(turn, ONBOARDING, ONBOARDING.get("consent"))


def _person_first(turn: Turn) -> None:
    """A first message asking for a person ("insaan se baat karni hai") gets one: staff are asked at once. The consent
    question still ends the reply: staff see only the number and what was sent, which any reply needs; nothing goes
    into a profile or a listing before a yes, and a no erases it all as for anyone."""
    turn.effect(FlagHelpdesk("asked_human", "onboarding.consent"))
    turn.note("human")


def handle(turn: Turn, on_done: Callable[[Turn], None]) -> None:
    """An answer during onboarding; `on_done(turn)` starts the first listing once the profile is complete."""
    step = filling.current(turn, ONBOARDING)
    if step.name != "consent":  # photos before the listing: kept for its draft
        keep_early_photos(turn.state, turn.inbound.photos)
    if not (turn.answer.text.strip() or turn.inbound.button):  # only media came: the question again, no miss
        return filling.ask(turn, ONBOARDING, step)
    if _consent(turn, step) if step.name == "consent" else _answer(turn, step):
        go_on(turn, on_done)


def go_on(turn: Turn, on_done: Callable[[Turn], None]) -> None:
    """The next profile question, or the profile saved and the first listing started."""
    following = filling.next_step(turn, ONBOARDING)
    if following:
        return filling.ask(turn, ONBOARDING, following)
    finish(turn, on_done)


def _consent(turn: Turn, step: Step) -> bool:
    """Yes records the consent and reads what came before it; no erases what they sent. True to go on."""
    agreed = step.parse(turn.answer)
    if agreed is True:
        turn.effect(RecordConsent(CONSENT_VERSION, CONSENT_KEY))
        turn.state.consent = CONSENT_VERSION
        filling.set_slot(turn, step, CONSENT_VERSION)
        use_what_came_before(turn)
        return True
    if agreed is False:
        turn.effect(RefuseConsent(CONSENT_VERSION))  # what they sent before this answer is erased
        turn.note("consent_declined")
        return False
    filling.miss(turn, ONBOARDING, step, agreed)
    return False


def _answer(turn: Turn, step: Step) -> bool:
    """A profile answer, and the later ones the message also gives; True to go on, False when it was a miss."""
    value = step.parse(turn.answer)
    if step.name == "name" and not isinstance(value, Retry):
        return _named(turn, step, value)
    filled = filling.over_answers(turn, ONBOARDING, skip=step.name)
    if not isinstance(value, Retry):
        filling.set_slot(turn, step, value)
        return True
    if filled:
        return True
    filling.miss(turn, ONBOARDING, step, value)
    return False


def _named(turn: Turn, step: Step, name: str) -> bool:
    """A name is free text ("Ram Kumar" is not read as a craft); one that reads as a place or a thing ("hisar") is
    asked about first. Thanked by name before the next question."""
    if name_check.suspicious(turn.answer, name):
        name_check.ask(turn, name)
        return False
    filling.set_slot(turn, step, name)
    turn.note("name_thanks", name=name)
    return True


def finish(turn: Turn, on_done: Callable[[Turn], None]) -> None:
    slots = turn.state.slots
    profile = {"name": slots["name"], "district": slots["district"], "craft": slots["craft"]}
    turn.effect(SaveProfile(dict(profile)))
    turn.state.profile = profile
    turn.note("onboarding_done", name=profile["name"])
    turn.note("profile_check", **{field: _shown(value, turn.lang) for field, value in profile.items()})
    on_done(turn)


def _shown(value, lang: str) -> str:
    """A profile value as the artisan reads it back."""
    return value.said_in(lang) if isinstance(value, Bilingual) else str(value)


def keep_early_photos(state: State, photos) -> State:
    """Good photos that came before the listing flow (with the opener, or during onboarding) wait for its draft."""
    good = [photo.id for photo in photos if photo.verdict in ("ok", "tip")]
    state.early_photos = list(dict.fromkeys([*state.early_photos, *good]))
    return state


def remember_opener(turn: Turn) -> None:
    """A first message with facts in it ("hari ooni shawl hai 2 meter lambi 1500 ki", "main Sirsa se Kamla, khes
    bunti hoon") waits for consent; it is read again once the artisan agrees, and erased if they refuse."""
    if turn.answer.intent == "human":
        return  # a request for a person, no facts
    if turn.answer.parse.get("entities") or len(turn.answer.text.split()) > 2:
        turn.state.opener = {"text": turn.answer.text, "parse": turn.answer.parse}


def use_what_came_before(turn: Turn) -> None:
    """After consent: the opener's facts and those in the consent answer itself ("haan ji, mera naam Kamla hai")
    fill the profile and wait for the first draft, so no question they answered is asked."""
    said = [turn.answer]
    opener = turn.state.opener
    if opener:
        said.insert(0, Answer(Inbound(turn.inbound.now, opener["text"], read=turn.inbound.read),
                              opener.get("parse") or {}))
    turn.state.opener = None
    for answer in said:
        _profile_facts(turn.state.slots, answer)
        _product_facts(turn.state.early_slots, answer)
        _craft_from_product(turn.state.slots, answer)


def _extract_into(values: dict, steps, answer: Answer) -> None:
    """What the message says for each of `steps` whose value is still missing."""
    for step in steps:
        found = step.extract(answer) if step.extract and not values.get(step.name) else None
        if found:
            values[step.name] = found


def _profile_facts(slots: dict, answer: Answer) -> None:
    name = names.name_in(answer)
    if name and not slots.get("name"):
        slots["name"] = name
    _extract_into(slots, ONBOARDING.steps, answer)


def _product_facts(early: dict, answer: Answer) -> None:
    """An introduction's products describe the craft ("I do bamboo craft - baskets, lamps"), unless it also
    says how many or what price: then it is offering that item ("abhi 4 khes h 1100 ke")."""
    if _offers_an_item(answer) or not _introduces_themself(answer):
        _extract_into(early, LISTING.steps, answer)
    counted = measures.count_before_product(answer)
    if counted and not early.get("quantity"):
        early["quantity"] = counted


def _introduces_themself(answer: Answer) -> bool:
    return bool(answer.first("district") or names.name_in(answer))


def _offers_an_item(answer: Answer) -> bool:
    return bool(answer.any_of("amount_of_money", "quantity") or measures.count_before_product(answer))


def _craft_from_product(slots: dict, answer: Answer) -> None:
    """"khes bunti hoon": the product names the craft."""
    product = things.extract("product")(answer)
    if not slots.get("craft") and product:
        slots["craft"] = product
