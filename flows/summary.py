"""The draft in words: the full summary before submitting, and short "noted: ..." acknowledgements."""
from __future__ import annotations

import nlu
from flows.prompts import say

ORDER = ("product", "material", "colour", "size", "price", "quantity", "description")
COUNTED = ("pair", "dozen", "set", "kilogram", "metre")  # units a quantity is counted in besides pieces


def summary(slots: dict, lang: str, compact: bool = False) -> str:
    """Every field and the photo count; `compact` is one line for SMS."""
    photos = len(slots.get("photos") or ())
    if compact:
        parts = [value(slots, name, lang) for name in ORDER[:-1]]
        parts.append(say("photo_count", lang, count=photos))
        return ", ".join(p for p in parts if p)
    lines = [say("summary_title", lang), f"{say('label_photos', lang)}: {photos}"]
    for name in ORDER:
        shown = value(slots, name, lang, spoken=True) or say("not_given", lang)
        lines.append(f"{say(f'label_{name}', lang)}: {shown}")
    return "\n".join(lines)


def brief(slots: dict, names, lang: str) -> str:
    """The values of a few slots, comma-separated."""
    return ", ".join(filter(None, (value(slots, name, lang) for name in names)))


def value(slots: dict, name: str, lang: str, spoken: bool = False) -> str:
    """One slot's value as the artisan would say it; empty when not filled.

    `spoken` reads a price back in words too ("₹1,200 (one thousand two hundred rupees)"), so a slip of a zero
    shows before the listing goes out; the one-line SMS summary has no room for it."""
    found = slots.get(name)
    if name == "description" and not found and slots.get("voice_notes"):
        return say("voice_description", lang)
    if name == "size" and not found and slots.get("size_note"):
        return slots["size_note"]  # "6 se 10 number", "free size": a size in the artisan's words
    if found in (None, "", []):
        return ""
    if name == "colour":
        return ", ".join(_word(c, lang) for c in found)
    if name == "size":
        return _size(found, lang)
    if name == "price":
        per = say(f"per_{found['per']}", lang)
        if spoken:
            return say("price_spoken", lang, amount=nlu.say_amount(found["amount"], lang=lang), per=per)
        return say("price_value", lang, amount=_number(found["amount"]), per=per)
    if name == "quantity":  # counted in the unit the price is for: "50 darjan" at ₹90 a dozen
        per = (slots.get("price") or {}).get("per") or "piece"
        return say(f"count_{per}" if per in COUNTED else "quantity_value", lang, count=found)
    if isinstance(found, dict):
        return _word(found, lang)
    return str(found)


def say_amount(amount, lang: str) -> str:
    """An amount of rupees in words, as the artisan would say it ("gyarah sau")."""
    return nlu.say_amount(amount, lang=lang)


def _word(item: dict, lang: str) -> str:
    return item.get(lang) or item.get("hi") or item.get("en") or ""


def _size(size: dict, lang: str) -> str:
    unit = say(f"unit_{size.get('unit') or 'none'}", lang)
    if size.get("width") is None:
        return say("size_length", lang, length=_number(size["length"]), unit=unit).strip()
    return say("size_value", lang, length=_number(size["length"]), width=_number(size["width"]), unit=unit).strip()


def _number(number) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)
