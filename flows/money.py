"""Prices: an amount in rupees and what it is for ("200 rupay meter" is ₹200 a metre)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from flows.answer import DIGITS, Answer
from flows.types import Retry
from flows.words import words

LENGTH_UNITS = {"metre", "centimetre", "foot", "inch", "yard"}
PRICED_PER = ("pair", "dozen", "set", "kilogram", "metre", "piece")  # "650 jodi" at the price question
UNIT_NAMES = {"kg": "kilogram", "meter": "metre"}
LOWEST, HIGHEST = 10, 500_000  # a price outside these is not taken from another question's answer


def whole(value: Any) -> int | float:
    """A number as the draft keeps it: 6 rather than 6.0, at most two decimals."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def numbers(answer: Answer) -> list[float]:
    """The bare numbers nlu read."""
    return [float(e["value"]) for e in answer.entities("number") if isinstance(e.get("value"), (int, float))]


def unit_name(entity: dict) -> str | None:
    """The unit of a quantity entity, by the name the draft uses ("kg" → "kilogram")."""
    unit = entity.get("per") or entity.get("unit")
    return UNIT_NAMES.get(unit, unit)


def _money(answer: Answer) -> dict | None:
    entity = answer.first("amount_of_money")
    if not entity:
        return None
    return {"amount": whole(entity["value"]), "per": entity.get("per") or "piece"}


@lru_cache(maxsize=None)
def _taken_back() -> re.Pattern:
    """An amount followed by a "not" ("250 nahi"), the words from words.yml."""
    nots = "|".join(re.escape(w) for w in words()["taken_back"])
    return re.compile(rf"(\d[\d,]*)\s*(?:rs|rupaye|rupay|₹)?\s*(?:{nots})(?!\w)", re.IGNORECASE)


def _not_taken_back(answer: Answer) -> dict | None:
    """"price 250 nahi 300 h", "450 hai, 350 nahi": of two amounts, the one not taken back."""
    text = answer.text.translate(DIGITS)
    amounts = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
    taken_back = {int(m.group(1).replace(",", "")) for m in _taken_back().finditer(text)}
    left = [a for a in amounts if a not in taken_back]
    if len(amounts) == 2 and taken_back and len(left) == 1:
        money = answer.first("amount_of_money") or {}
        return {"amount": left[0], "per": money.get("per") or "piece"}
    return None


def priced_count(answer: Answer) -> dict | None:
    """At the price question, "650 jodi" is ₹650 a pair (nlu, not knowing the question, reads a count)."""
    quantities = [e for e in answer.entities("quantity") if e.get("measure") != "content"]
    if len(quantities) != 1 or answer.entities("number") or answer.first("amount_of_money"):
        return None
    entity = quantities[0]
    per = unit_name(entity)
    if per not in PRICED_PER:
        return None
    amount = entity.get("count") if entity.get("count") is not None else entity["value"]
    return {"amount": whole(amount), "per": per}


def _bare_number(answer: Answer) -> dict | None:
    """A bare number is rupees here, per piece or per the length unit said with it."""
    said = numbers(answer)
    if not said:
        return None
    per = answer.first("quantity") or {}
    return {"amount": whole(said[0]), "per": per["unit"] if per.get("unit") in LENGTH_UNITS else "piece"}


def rupees(low: int, high: int) -> Callable[[Answer], Any]:
    """A price in rupees, per piece unless said otherwise ("200 rupay meter"); a bare number is rupees here."""

    def parse(answer: Answer) -> dict | Retry:
        price = _not_taken_back(answer) or _money(answer) or priced_count(answer) or _bare_number(answer)
        if price is None:
            return Retry("price")
        if price["amount"] < low:
            return Retry("price_low", {"low": low})
        if price["amount"] > high:
            return Retry("price_high")
        return price

    return parse


def doubtful_price(answer: Answer) -> bool:
    """A price worth reading back: a thousand or more, and nlu was unsure of it or it was said only in words
    ("gyarah so", "saadhe paanch hazaar"), where one misheard word is a wrong zero."""
    money = answer.first("amount_of_money") or answer.first("number") or {}
    if not isinstance(money.get("value"), (int, float)) or money["value"] < 1000:
        return False  # below a thousand a slip costs little, and the summary says every price in words anyway
    return bool(money.get("uncertain")) or not re.search(r"[0-9\u0966-\u096f]", answer.text)


def extract_price(answer: Answer) -> dict | None:
    price = _money(answer)
    return price if price and LOWEST <= price["amount"] <= HIGHEST else None
