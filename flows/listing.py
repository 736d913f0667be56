"""The listing flow as data: photos, product, material, colour, size, price, quantity, description, confirm.

What happens with an answer during it is in draft.py."""
from __future__ import annotations

from flows import materials, measures, money, photos, things, words
from flows.model import Flow, Step
from flows.state import State
from flows.summary import summary
from flows.turn import Turn

SKIP = (("intent:skip", "btn_skip"),)
CONFIRM = (("intent:affirm", "btn_submit"), ("intent:edit", "btn_change"))


def _photo_vars(turn: Turn) -> dict:
    return {"upload_url": turn.inbound.upload_url or ""}


def _confirm_vars(turn: Turn) -> dict:
    return {"summary": summary(turn.state.slots, LISTING.fields(), turn.lang, compact=turn.sms)}


def _described(state: State) -> bool:
    return bool(state.slots.get("description") or state.slots.get("voice_notes")) or "description" in state.skipped


LISTING = Flow("listing", steps=(
    Step("photos",      ask=photos.ask_key,    parse=photos.parse, vars=_photo_vars, done=photos.done,
         buttons=photos.buttons, editable=False),
    Step("product",     ask="ask_product",     parse=things.product, extract=things.extract("product"),
         choices="product"),
    Step("material",    ask="ask_material",    parse=materials.material,
         extract=materials.extract, choices="material"),
    Step("colour",      ask="ask_colour",      parse=things.colours, extract=things.extract_colours,
         choices="colour"),
    Step("size",        ask="ask_size",         parse=measures.size, extract=measures.extract_size, optional=True,
         buttons=SKIP),
    Step("price",       ask="ask_price",       parse=money.rupees(money.LOWEST, money.HIGHEST),
         extract=money.extract_price),
    Step("quantity",    ask="ask_quantity",    parse=measures.count, extract=measures.extract_count),
    Step("description", ask="ask_description", parse=words.description, optional=True, buttons=SKIP,
         done=_described),
    Step("confirm",     ask="ask_confirm",     parse=words.yes_no, buttons=CONFIRM, vars=_confirm_vars,
         editable=False),
))
FIELDS = tuple(name for name in LISTING.names() if name != "confirm")  # what a correction may change
FREE_TEXT = {"description"}  # answers here are the artisan's own words, not read for other slots
