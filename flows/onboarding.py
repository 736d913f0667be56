"""First contact: greeting, consent, name, district, craft; then the first listing."""
from __future__ import annotations

from flows import filling, parsers
from flows.answer import Answer
from flows.model import Flow, Step
from flows.types import Inbound
from flows.turn import Turn
from flows.types import RecordConsent, RefuseConsent, SaveProfile

CONSENT_VERSION = "hunar-consent-v1"
CONSENT_KEY = "consent_v1"
YES_NO = (("intent:affirm", "btn_yes"), ("intent:deny", "btn_no"))

ONBOARDING = Flow("onboarding", steps=(
    Step("consent",  ask=CONSENT_KEY,    parse=parsers.yes_no, buttons=YES_NO),
    Step("name",     ask="ask_name",     parse=parsers.person_name),
    Step("district", ask="ask_district", parse=parsers.from_list("district"), extract=parsers.extract("district"),
         choices="district"),
    Step("craft",    ask="ask_craft",    parse=parsers.from_list("craft"), extract=parsers.extract("craft"),
         choices="craft"),
))


def start(turn: Turn) -> None:
    """A brand-new artisan: welcome and the consent question."""
    turn.state.update(flow="onboarding", step="consent", slots={})
    turn.note("welcome")
    filling.ask(turn, ONBOARDING, ONBOARDING.get("consent"))


def handle(turn: Turn, on_done) -> None:
    """An answer during onboarding; `on_done(turn)` starts the first listing once the profile is complete."""
    step = filling.current(turn, ONBOARDING)
    if turn.inbound.photos and step.name != "consent":  # photos before the listing: kept for its draft
        keep_early_photos(turn.state, turn.inbound.photos)
    if not turn.answer.text.strip() and not turn.inbound.button:  # only media came: the question again, no miss
        return filling.ask(turn, ONBOARDING, step)
    if step.name == "consent":
        agreed = step.parse(turn.answer)
        if agreed is True:
            turn.effect(RecordConsent(CONSENT_VERSION, CONSENT_KEY))
            turn.state["consent"] = CONSENT_VERSION
            filling.set_slot(turn, step, CONSENT_VERSION)
            use_what_came_before(turn)
        elif agreed is False:
            turn.effect(RefuseConsent(CONSENT_VERSION))  # what they sent before this answer is erased
            turn.note("consent_declined")
            return
        else:
            return filling.miss(turn, ONBOARDING, step, agreed)
    else:
        value = step.parse(turn.answer)
        # a name is free text: "Ram Kumar" must not be read as a craft
        filled = [] if step.name == "name" else filling.over_answers(turn, ONBOARDING, skip=step.name)
        if isinstance(value, parsers.Retry):
            if not filled:
                return filling.miss(turn, ONBOARDING, step, value)
        else:
            filling.set_slot(turn, step, value)
    following = filling.next_step(turn, ONBOARDING)
    if following:
        return filling.ask(turn, ONBOARDING, following)
    finish(turn, on_done)


def finish(turn: Turn, on_done) -> None:
    slots = turn.state["slots"]
    profile = {"name": slots["name"], "district": slots["district"], "craft": slots["craft"]}
    turn.effect(SaveProfile(profile))
    turn.state["profile"] = profile
    turn.note("onboarding_done", name=profile["name"])
    on_done(turn)


def keep_early_photos(state: dict, photos) -> dict:
    """Good photos that came before the listing flow (with the opener, or during onboarding) wait for its draft."""
    early = state.setdefault("early_photos", [])
    early.extend(p.id for p in photos if p.verdict in ("ok", "tip") and p.id not in early)
    return state


def remember_opener(turn: Turn) -> None:
    """A first message with facts in it ("hari ooni shawl hai 2 meter lambi 1500 ki", "main Sirsa se Kamla, khes
    bunti hoon") waits for consent; it is read again once the artisan agrees, and erased if they refuse."""
    if turn.answer.parse.get("entities") or len(turn.answer.text.split()) > 2:
        turn.state["opener"] = {"text": turn.answer.text, "parse": turn.answer.parse}


def use_what_came_before(turn: Turn) -> None:
    """After consent: the opener's facts and those in the consent answer itself ("haan ji, mera naam Kamla hai")
    fill the profile and wait for the first draft, so no question they answered is asked."""
    from flows import listing  # listing imports this module

    said = [turn.answer]
    opener = turn.state.pop("opener", None)
    if opener:
        said.insert(0, Answer(Inbound(turn.inbound.now, opener["text"]), opener.get("parse") or {}))
    slots, early = turn.state["slots"], turn.state.setdefault("early_slots", {})
    for answer in said:
        name = parsers.name_in(answer)
        if name and not slots.get("name"):
            slots["name"] = name
        # An introduction's products describe the craft ("I do bamboo craft - baskets, lamps"), unless it also
        # says how many or what price: then it is offering that item ("abhi 4 khes h 1100 ke").
        introduction = bool(answer.first("district") or parsers.name_in(answer))
        offered = answer.first("amount_of_money") or answer.first("quantity") or parsers.count_before_product(answer)
        for step in ONBOARDING.steps + listing.LISTING.steps:
            target = slots if step in ONBOARDING.steps else early
            if step.extract is None or target.get(step.name):
                continue
            if target is early and introduction and not offered:
                continue
            value = step.extract(answer)
            if value:
                target[step.name] = value
        if not early.get("quantity") and parsers.count_before_product(answer):
            early["quantity"] = parsers.count_before_product(answer)
        product = parsers.extract("product")(answer)
        if not slots.get("craft") and product:  # "khes bunti hoon": the product names the craft
            slots["craft"] = product
    if not early:
        turn.state.pop("early_slots")
