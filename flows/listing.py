"""The listing flow as data: photos, product, material, colour, size, price, quantity, description, confirm."""
from __future__ import annotations

from flows import filling, parsers, photos
from flows.model import Flow, Step
from flows.summary import brief, say_amount as nlu_say, summary
from flows.turn import Turn
from flows.types import DiscardPhotos, Retry, SubmitListing

SKIP = (("intent:skip", "btn_skip"),)
CONFIRM = (("intent:affirm", "btn_submit"), ("intent:edit", "btn_change"))


def _photo_vars(turn: Turn) -> dict:
    return {"upload_url": turn.inbound.upload_url or ""}


def _confirm_vars(turn: Turn) -> dict:
    return {"summary": summary(turn.state["slots"], turn.lang, compact=turn.sms)}


def _described(state: dict) -> bool:
    slots = state["slots"]
    return bool(slots.get("description") or slots.get("voice_notes")) or "description" in state.get("skipped", [])


LISTING = Flow("listing", steps=(
    Step("photos",      ask=photos.ask_key,    parse=photos.parse, vars=_photo_vars, done=photos.done,
         buttons=photos.buttons),
    Step("product",     ask="ask_product",     parse=parsers.product, extract=parsers.extract("product"),
         choices="product"),
    Step("material",    ask="ask_material",    parse=parsers.from_list("material"),
         extract=parsers.extract("material"), choices="material"),
    Step("colour",      ask="ask_colour",      parse=parsers.colours, extract=parsers.extract_colours,
         choices="colour"),
    Step("size",        ask=lambda turn: size_question(turn), parse=parsers.size, extract=parsers.extract_size, optional=True,
         buttons=SKIP),
    Step("price",       ask="ask_price",       parse=parsers.rupees(10, 500_000), extract=parsers.extract_price),
    Step("quantity",    ask="ask_quantity",    parse=parsers.count, extract=parsers.extract_count),
    Step("description", ask="ask_description", parse=parsers.description, optional=True, buttons=SKIP,
         done=_described),
    Step("confirm",     ask="ask_confirm",     parse=parsers.yes_no, buttons=CONFIRM, vars=_confirm_vars),
))
FIELDS = [name for name in LISTING.names() if name != "confirm"]
FREE_TEXT = {"description"}  # answers here are the artisan's own words, not read for other slots


def start(turn: Turn, ask: bool = True) -> None:
    """A fresh draft; ask for photos (unless the message that started it is handled next)."""
    turn.state.update(flow="listing", step="photos", slots={}, skipped=[], misses={})
    early = turn.state.pop("early_photos", None)
    if early:
        turn.state["slots"]["photos"] = early[:photos.MAX_PHOTOS]
    facts = turn.state.pop("early_slots", None)  # what the first messages said about the product
    if facts:
        turn.state["slots"].update(facts)
        turn.note("noted", items=brief(turn.state["slots"], list(facts), turn.lang))
    for key in ("focus", "photos_done", "bad_photos", "photo_rounds", "nudged_at", "size_numbers"):
        turn.state.pop(key, None)
    if ask:
        ask_next(turn)


def handle(turn: Turn) -> None:
    """An answer during the listing flow."""
    step = filling.current(turn, LISTING)
    answer = turn.answer
    if turn.inbound.photos or turn.inbound.failed_media:
        photos.receive(turn)
        if not answer.text:
            return ask_next(turn)
    if step.name == "confirm":
        return confirm(turn)
    if photos.voice_note(turn, at_description=step.name == "description"):
        return ask_next(turn)
    if not answer.text:
        return ask_next(turn)
    skip = (step.name, "quantity") if step.name == "price" and parsers.priced_count(answer) else step.name
    filled = [] if step.name in FREE_TEXT else filling.over_answers(turn, LISTING, skip=skip)
    if step.name == "photos":
        return photos.text_at_photos(turn, filled) or ask_next(turn)
    value = step.parse(answer)
    value = _english_if_said_in_english(turn, value)
    if step.name == "price" and not isinstance(value, Retry) and parsers.doubtful_price(answer):
        return _read_back(turn, value)
    if step.name == "size":
        value = _size(turn, value)
        if value is None:
            return ask_next(turn)
    if isinstance(value, Retry):
        if filled:
            turn.note("noted", items=brief(turn.state["slots"], [s.name for s in filled], turn.lang))
            return ask_next(turn)
        return filling.miss(turn, LISTING, step, value)
    filling.set_slot(turn, step, value)
    if filled:
        turn.note("noted", items=brief(turn.state["slots"], [step.name, *(s.name for s in filled)], turn.lang))
    ask_next(turn)


def units_of_sale(turn: Turn, counted: bool) -> None:
    """Price and quantity in one unit of sale: "400" with "bees jodi" is ₹400 a pair for 20 pairs; "120 a pair"
    with "do darjan" is 24 pairs; "darjan ke 90" with "pachas darjan" is 50 dozen. `counted`: the quantity came now."""
    slots = turn.state["slots"]
    if counted:
        turn.state["quantity_unit"] = parsers.count_unit(turn.answer)
    unit, price = turn.state.get("quantity_unit"), slots.get("price")
    if not unit or not price or not slots.get("quantity"):
        return
    per = price.get("per") or "piece"
    if unit == "dozen" and per in ("piece", "pair"):
        slots["quantity"] = slots["quantity"] * 12
    elif unit != per and per == "piece":
        slots["price"] = {**price, "per": unit}  # a bare price is for the unit they count in
    turn.state["quantity_unit"] = (slots.get("price") or {}).get("per")


def size_question(turn: Turn) -> str:
    """The size asked the way the product is measured: a height for a matka, shoe sizes for jutti, else L × W."""
    product = turn.state["slots"].get("product") or {}
    name = f" {(product.get('en') or '').lower()} "
    for key, listed in (("ask_size_height", "measured_by_height"), ("ask_size_shoe", "measured_by_shoe_size")):
        if any(f" {word} " in name for word in parsers.words()[listed]):
            return key
    return "ask_size"


def _read_back(turn: Turn, price: dict) -> None:
    """A price read from words or an unusual form is said back before it is kept, never saved silently."""
    from flows import pending  # pending answers questions of this flow

    pending.ask(turn, "price_check", "ask_price_check", price=price,
                vars={"spoken": nlu_say(price["amount"], turn.lang)})


def _english_if_said_in_english(turn: Turn, value):
    """Their own words in an English conversation are already the English name ("Woollen cap")."""
    def named(item):
        if isinstance(item, dict) and item.get("en") is None and "hi" in item and turn.lang == "en" \
                and item["hi"].isascii():
            return {**item, "en": item["hi"].lower()}
        return item
    return [named(v) for v in value] if isinstance(value, list) else named(value)


def _size(turn: Turn, value):
    """"6 bai 4" without a unit: remember the numbers and ask feet or metres; then "feet" completes them.
    A size given another way ("6 se 10 number", "free size", "10 litre") is kept as said, beside an empty measure."""
    if isinstance(value, Retry) and parsers.size_in_words(turn.answer):
        turn.state["slots"]["size_note"] = parsers.size_in_words(turn.answer)
        turn.state.setdefault("skipped", []).append("size")
        return None
    numbers = turn.state.pop("size_numbers", None)
    if isinstance(value, Retry) and value.reason == "size_unit":
        turn.state["size_numbers"] = value.vars
    elif isinstance(value, Retry) and numbers:
        return parsers.size_in_unit(numbers, turn.answer.text) or value
    return value


def ask_next(turn: Turn) -> None:
    said = parsers.extract_count(turn.answer, parsers.COUNT_UNITS | {"metre"})
    units_of_sale(turn, counted=said is not None and turn.state["slots"].get("quantity") == said)
    filling.ask(turn, LISTING, filling.next_step(turn, LISTING))


def confirm(turn: Turn) -> None:
    """At the summary: yes submits; no or "badlo" asks what to change."""
    answer = turn.answer
    agreed = parsers.yes_no(answer) if answer.intent != "edit" else False
    if isinstance(agreed, Retry) and parsers.says_send(answer):
        agreed = True
    if agreed is True:
        return submit(turn)
    if agreed is False:
        from flows import corrections  # corrections edits this flow's slots

        return corrections.ask_which(turn)
    filling.miss(turn, LISTING, LISTING.get("confirm"), Retry("confirm"))


def submit(turn: Turn) -> None:
    slots = dict(turn.state["slots"])
    turn.effect(SubmitListing(slots, tuple(slots.get("photos", ()))))
    turn.state.update(slots={}, skipped=[], misses={})
    turn.state.pop("photos_done", None)
    turn.note("submitted")
    from flows import menu  # menu starts listings, so it imports this module

    menu.ask(turn, "after_submit")


def discard(turn: Turn) -> None:
    """Throw the draft away (cancel, restart, start afresh after days)."""
    photo_ids = tuple(turn.state["slots"].get("photos", ()))
    if photo_ids:
        turn.effect(DiscardPhotos(photo_ids))
    turn.state.update(slots={}, skipped=[], misses={})
    turn.state.pop("photos_done", None)
    turn.state.pop("focus", None)
