"""The listing draft: started, filled by the artisan's answers during the listing flow (photos, a voice note, a
value and what else the message says), read back at the summary, submitted or discarded."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flows import filling, kinds, materials, measures, money, photos, questions, shoe_sizes, words
from flows.listing import FREE_TEXT, LISTING
from flows.model import Step
from flows.summary import brief, say_amount
from flows.turn import Turn
from flows.types import Bilingual, DiscardPhotos, Retry, SubmitListing, stored

SEND = ("done", "skip", "affirm")  # at the photo question: the photos are all sent


def start(turn: Turn, ask: bool = True) -> None:
    """A fresh draft, seeded with what came before it; ask for photos (unless the message that started it is
    handled next)."""
    state = turn.state
    state.flow, state.step = "listing", "photos"
    state.empty_draft()
    state.focus = state.nudged_at = state.size_numbers = None
    state.bad_photos, state.photo_rounds = [], 0
    if state.early_photos:
        state.slots["photos"] = state.early_photos[:photos.MAX_PHOTOS]
    facts, state.early_photos, state.early_slots = state.early_slots, [], {}
    if facts:  # what the first messages said about the product
        state.slots.update(facts)
        _noted(turn, list(facts))
    if ask:
        ask_next(turn)


def handle(turn: Turn) -> None:
    """An answer during the listing flow."""
    step = filling.current(turn, LISTING)
    if _only_media(turn):
        return ask_next(turn)
    if step.name == "confirm":
        return confirm(turn)
    if photos.voice_note(turn, at_description=step.name == "description") or not turn.answer.text:
        return ask_next(turn)
    _text(turn, step)


def _only_media(turn: Turn) -> bool:
    """Photos (or media that failed) are taken; True when no text came with them."""
    if not (turn.inbound.photos or turn.inbound.failed_media):
        return False
    photos.receive(turn)
    return not turn.answer.text


def _text(turn: Turn, step: Step) -> None:
    """A text answer to `step`, and the later questions it answers too."""
    filled = _over_answers(turn, step)
    if step.name not in FREE_TEXT:
        materials.keep_thread(turn)
    if step.name == "photos":
        return text_at_photos(turn, filled) or ask_next(turn)
    value = _english_if_said_in_english(turn, step.parse(turn.answer))
    if _doubtful(turn, step, value):
        return _read_back(turn, value)
    value = _size(turn, value) if step.name == "size" else value
    if isinstance(value, Retry):
        return _missed(turn, step, value, filled)
    _keep(turn, step, value, filled)
    ask_next(turn)


def _doubtful(turn: Turn, step: Step, value: Any) -> bool:
    """A price said in a way worth reading back before it is kept."""
    return step.name == "price" and not isinstance(value, Retry) and money.doubtful_price(turn.answer)


def _keep(turn: Turn, step: Step, value: Any, filled: list[Step]) -> None:
    """The answer kept (None: a size said in words, already noted); "noted" lists it when others came too."""
    if value is None:
        return
    filling.set_slot(turn, step, value)
    if filled:
        _noted(turn, [step.name, *_names(filled)])


def _names(steps: list[Step]) -> list[str]:
    return [step.name for step in steps]


def _over_answers(turn: Turn, step: Step) -> list[Step]:
    """Other slots the message fills; none from the artisan's own words, and at the price "650 jodi" is a price."""
    if step.name in FREE_TEXT:
        return []
    priced = step.name == "price" and money.priced_count(turn.answer)
    return filling.over_answers(turn, LISTING, skip=(step.name, "quantity") if priced else step.name)


def _missed(turn: Turn, step: Step, retry: Retry, filled: list[Step]) -> None:
    """Not an answer to the question: a miss, unless it answered others (then those are noted)."""
    if not filled:
        return filling.miss(turn, LISTING, step, retry)
    _noted(turn, _names(filled))
    ask_next(turn)


def _noted(turn: Turn, names: list[str]) -> None:
    """"noted: red, cotton" for the slots just filled."""
    if names:
        turn.note("noted", items=brief(turn.state.slots, names, turn.lang))


def text_at_photos(turn: Turn, filled: list[Step]) -> bool:
    """Text while photos are awaited: "bas"/"aage" moves on once a photo is in; returns True if it asked."""
    if turn.inbound.photos and turn.answer.intent not in SEND and not filled:
        return False  # a caption such as "ye dekho": the photos were the answer, the next question follows
    if turn.answer.intent not in SEND and not filled:
        filling.miss(turn, LISTING, LISTING.get("photos"), Retry("photos"))
        return True
    _noted(turn, _names(filled))
    _photos_sent(turn, said_more=bool(filled))
    return False


def _photos_sent(turn: Turn, said_more: bool) -> None:
    """"bas": the photos are done once there is one; without one, say a photo is needed (unless more was said)."""
    if turn.state.slots.get("photos"):
        turn.state.photos_done = True
        turn.state.unfocus("photos")
    elif not said_more:
        turn.note("photos_needed")


def _english_if_said_in_english(turn: Turn, value: Any) -> Any:
    """Their own words in an English conversation are already the English name ("Woollen cap")."""
    if turn.lang != "en":
        return value
    return [_in_english(v) for v in value] if isinstance(value, list) else _in_english(value)


def _in_english(item: Any) -> Any:
    if isinstance(item, Bilingual) and item.en is None and item.hi.isascii():
        return replace(item, en=item.hi.lower())
    return item


def _read_back(turn: Turn, price: dict) -> None:
    """A price read from words or an unusual form is said back before it is kept, never saved silently."""
    questions.sure(turn, "price_check", "ask_price_check", price=price,
                   vars={"spoken": say_amount(price["amount"], turn.lang)})


def _size(turn: Turn, value: Any) -> Any:
    """"6 bai 4" without a unit: remember the numbers and ask feet or metres; then "feet" completes them.
    A size given another way ("6 se 10 number", "free size", "10 litre") is kept as said, beside an empty measure
    (None: nothing to set). A shoe product's sizes are shoe sizes ("UK 7", "7 aur 8 dono")."""
    shoe = shoe_sizes.read(turn.answer, any_numbers=True) if kinds.measured(turn.state) == "shoe" else None
    if shoe:
        turn.state.size_numbers = None
        return shoe
    if isinstance(value, Retry) and _size_in_words(turn):
        return None
    numbers, turn.state.size_numbers = turn.state.size_numbers, None
    if not isinstance(value, Retry):
        return value
    if value.reason == "size_unit":
        turn.state.size_numbers = value.vars
        return value
    return _with_the_unit(turn, numbers) or value


def _size_in_words(turn: Turn) -> bool:
    said = measures.size_in_words(turn.answer)
    if said:
        turn.state.slots["size_note"] = said
        turn.state.skip("size")
    return bool(said)


def _with_the_unit(turn: Turn, numbers: dict | None) -> dict | None:
    """The numbers of "6 bai 4" and this message's unit, read together."""
    return measures.size_in_unit(numbers, turn.answer.text, turn.inbound.read) if numbers else None


def ask_next(turn: Turn) -> None:
    """The next question of the draft, once price and quantity agree on their unit."""
    said = measures.extract_count(turn.answer, measures.COUNT_UNITS | {"metre"})
    sold_by_kind(turn)
    units_of_sale(turn, counted=said is not None and turn.state.slots.get("quantity") == said)
    filling.ask(turn, LISTING, filling.next_step(turn, LISTING))


def sold_by_kind(turn: Turn) -> None:
    """A price for "one" of a thing sold by the pair (jutti) is for one pair."""
    price, unit = turn.state.slots.get("price"), kinds.sold_by(turn.state)
    if unit and price and price.get("per") == "piece":
        turn.state.slots["price"] = {**price, "per": unit}


def units_of_sale(turn: Turn, counted: bool) -> None:
    """Price and quantity in one unit of sale: "400" with "bees jodi" is ₹400 a pair for 20 pairs; "120 a pair"
    with "do darjan" is 24 pairs; "darjan ke 90" with "pachas darjan" is 50 dozen. `counted`: the quantity came now."""
    if counted:
        turn.state.quantity_unit = measures.count_unit(turn.answer)
    slots, unit = turn.state.slots, turn.state.quantity_unit
    if unit and slots.get("price") and slots.get("quantity"):
        _in_one_unit(slots, unit)
        turn.state.quantity_unit = slots["price"].get("per")


def _in_one_unit(slots: dict, unit: str) -> None:
    price = slots["price"]
    per = price.get("per") or "piece"
    if unit == "dozen" and per in ("piece", "pair"):
        slots["quantity"] = slots["quantity"] * 12
    elif unit != per and per == "piece":
        slots["price"] = {**price, "per": unit}  # a bare price is for the unit they count in


def confirm(turn: Turn) -> None:
    """At the summary: yes submits; no or "badlo" asks what to change."""
    agreed = _agreed(turn)
    if agreed is True:
        return submit(turn)
    if agreed is False:
        return questions.which_field(turn)
    filling.miss(turn, LISTING, LISTING.get("confirm"), Retry("confirm"))


def _agreed(turn: Turn) -> bool | Retry:
    """Yes or no to the summary; "badlo" is a no, "bhej do" a yes."""
    if turn.answer.intent == "edit":
        return False
    agreed = words.yes_no(turn.answer)
    return True if isinstance(agreed, Retry) and words.says_send(turn.answer) else agreed


def submit(turn: Turn) -> None:
    slots = turn.state.slots
    turn.effect(SubmitListing(stored(slots), tuple(slots.get("photos", ()))))
    turn.state.empty_draft()
    turn.note("submitted")
    questions.menu(turn, "after_submit")


def discard(turn: Turn) -> None:
    """Throw the draft away (cancel, restart, start afresh after days)."""
    _drop_photos(turn)
    turn.state.empty_draft()
    turn.state.focus = None


def discard_photos(turn: Turn) -> None:
    """New photos instead of the old ones."""
    _drop_photos(turn)
    turn.state.slots["photos"] = []
    turn.state.photos_done = False


def _drop_photos(turn: Turn) -> None:
    old = tuple(turn.state.slots.get("photos") or ())
    if old:
        turn.effect(DiscardPhotos(old))
