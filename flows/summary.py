"""The draft in words: the full summary before submitting, and short "noted: ..." acknowledgements."""
from __future__ import annotations

from typing import Any

import nlu
from flows import shoe_sizes
from flows.prompts import say
from flows.types import Bilingual

COUNTED = ("pair", "dozen", "set", "kilogram", "metre")  # units a quantity is counted in besides pieces
EMPTY = (None, "", [])


def summary(slots: dict, fields, lang: str, compact: bool = False) -> str:
    """Every field (in the order of `fields`) and the photo count; `compact` is one line for SMS, without the
    description (the last field)."""
    photos = len(slots.get("photos") or ())
    if compact:
        return _one_line(slots, fields[:-1], lang, photos)
    lines = [say("summary_title", lang), f"{say('label_photos', lang)}: {photos}"]
    return "\n".join([*lines, *(_line(slots, name, lang) for name in fields)])


def _one_line(slots: dict, fields, lang: str, photos: int) -> str:
    parts = [*(value(slots, name, lang) for name in fields), say("photo_count", lang, count=photos)]
    return ", ".join(filter(None, parts))


def _line(slots: dict, name: str, lang: str) -> str:
    """"Price: ₹1,200 (twelve hundred rupees) a piece", or "not given"."""
    shown = value(slots, name, lang, spoken=True) or say("not_given", lang)
    return f"{say(f'label_{name}', lang)}: {shown}"


def brief(slots: dict, names, lang: str) -> str:
    """The values of a few slots, comma-separated."""
    return ", ".join(filter(None, (value(slots, name, lang) for name in names)))


def value(slots: dict, name: str, lang: str, spoken: bool = False) -> str:
    """One slot's value as the artisan would say it; empty when not filled.

    `spoken` reads a price back in words too ("₹1,200 (one thousand two hundred rupees)"), so a slip of a zero
    shows before the listing goes out; the one-line SMS summary has no room for it."""
    found = slots.get(name)
    if found in EMPTY:
        return _said_otherwise(slots, name, lang)
    if name in SHOWN:
        return SHOWN[name](found, slots, lang, spoken)
    return found.said_in(lang) if isinstance(found, Bilingual) else str(found)


def _said_otherwise(slots: dict, name: str, lang: str) -> str:
    """A field left empty but answered another way: a voice note for the description, a size in words."""
    if name == "description" and slots.get("voice_notes"):
        return say("voice_description", lang)
    if name == "size" and slots.get("size_note"):
        return slots["size_note"]  # "6 se 10 number", "free size": a size in the artisan's words
    return ""


def _colours(found: list[Bilingual], slots: dict, lang: str, spoken: bool) -> str:
    return ", ".join(colour.said_in(lang) for colour in found)


def _size(size: dict, slots: dict, lang: str, spoken: bool) -> str:
    if size.get("kind") == "shoe":
        return say("size_shoe", lang, sizes=shoe_sizes.shown(size))
    unit = say(f"unit_{size.get('unit') or 'none'}", lang)
    if size.get("width") is None:
        return say("size_length", lang, length=_number(size["length"]), unit=unit).strip()
    return say("size_value", lang, length=_number(size["length"]), width=_number(size["width"]), unit=unit).strip()


def _price(price: dict, slots: dict, lang: str, spoken: bool) -> str:
    per = say(f"per_{price['per']}", lang)
    if spoken:
        return say("price_spoken", lang, amount=say_amount(price["amount"], lang), per=per)
    return say("price_value", lang, amount=_number(price["amount"]), per=per)


def _quantity(count: int, slots: dict, lang: str, spoken: bool) -> str:
    """Counted in the unit the price is for: "50 darjan" at ₹90 a dozen."""
    per = (slots.get("price") or {}).get("per") or "piece"
    return say(f"count_{per}" if per in COUNTED else "quantity_value", lang, count=count)


def _material(found: Bilingual, slots: dict, lang: str, spoken: bool) -> str:
    """The base material with the thread's ("khadi, with silk thread")."""
    thread = slots.get("thread")
    if not isinstance(thread, Bilingual):
        return found.said_in(lang)
    return say("material_with_thread", lang, material=found.said_in(lang), thread=thread.said_in(lang))


SHOWN = {"colour": _colours, "size": _size, "price": _price, "quantity": _quantity, "material": _material}


def say_amount(amount: Any, lang: str) -> str:
    """An amount of rupees in words, as the artisan would say it ("gyarah sau")."""
    return nlu.say_amount(amount, lang=lang)


def _number(number: Any) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)
