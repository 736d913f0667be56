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
SURE_BELOW = 1000  # a price below this is never read back
AMOUNT = re.compile(r"\d[\d,]*")


def whole(value: Any) -> int | float:
    """A number as the draft keeps it: 6 rather than 6.0, at most two decimals."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def numbers(answer: Answer) -> list[float]:
    """The bare numbers nlu read."""
    return [float(e["value"]) for e in answer.entities("number") if isinstance(e.get("value"), (int, float))]


def _price(amount: Any, per: str | None) -> dict:
    return {"amount": amount, "per": per or "piece"}


def _money(answer: Answer) -> dict | None:
    entity = answer.first("amount_of_money")
    return _price(whole(entity["value"]), entity.get("per")) if entity else None


@lru_cache(maxsize=None)
def _taken_back() -> re.Pattern:
    """An amount followed by a "not" ("250 nahi"), the words from words.yml."""
    nots = "|".join(re.escape(w) for w in words()["taken_back"])
    return re.compile(rf"(\d[\d,]*)\s*(?:rs|rupaye|rupay|₹)?\s*(?:{nots})(?!\w)", re.IGNORECASE)


def _amount(digits: str) -> int:
    return int(digits.replace(",", ""))


def _not_taken_back(answer: Answer) -> dict | None:
    """"price 250 nahi 300 h", "450 hai, 350 nahi": of two amounts, the one not taken back."""
    left = _the_one_left(answer.text.translate(DIGITS))
    return None if left is None else _price(left, (answer.first("amount_of_money") or {}).get("per"))


def _the_one_left(text: str) -> int | None:
    amounts = list(map(_amount, AMOUNT.findall(text)))
    taken_back = {_amount(match.group(1)) for match in _taken_back().finditer(text)}
    left = [amount for amount in amounts if amount not in taken_back]
    return left[0] if len(amounts) == 2 and len(left) == 1 and taken_back else None


def unit_name(entity: dict) -> str | None:
    """The unit of a quantity entity, by the name the draft uses ("kg" → "kilogram")."""
    unit = entity.get("per") or entity.get("unit")
    return UNIT_NAMES.get(unit, unit)


def priced_count(answer: Answer) -> dict | None:
    """At the price question, "650 jodi" is ₹650 a pair (nlu, not knowing the question, reads a count)."""
    quantities = [e for e in answer.entities("quantity") if e.get("measure") != "content"]
    if len(quantities) != 1 or answer.any_of("number", "amount_of_money"):
        return None
    return _per_unit(quantities[0])


def _per_unit(entity: dict) -> dict | None:
    """A counted quantity read as a price for one of its unit."""
    per = unit_name(entity)
    if per not in PRICED_PER:
        return None
    return _price(whole(entity["count"] if entity.get("count") is not None else entity["value"]), per)


def _bare_number(answer: Answer) -> dict | None:
    """A bare number is rupees here, per piece or per the length unit said with it."""
    said = numbers(answer)
    unit = (answer.first("quantity") or {}).get("unit")
    return _price(whole(said[0]), unit if unit in LENGTH_UNITS else None) if said else None


def rupees(low: int, high: int) -> Callable[[Answer], Any]:
    """A price in rupees, per piece unless said otherwise ("200 rupay meter"); a bare number is rupees here."""

    def parse(answer: Answer) -> dict | Retry:
        price = _not_taken_back(answer) or _money(answer) or priced_count(answer) or _bare_number(answer)
        return _within(price, low, high) if price else Retry("price")

    return parse


def _within(price: dict, low: int, high: int) -> dict | Retry:
    if price["amount"] < low:
        return Retry("price_low", {"low": low})
    return Retry("price_high") if price["amount"] > high else price


def doubtful_price(answer: Answer) -> bool:
    """A price worth reading back: a thousand or more, and nlu was unsure of it or it was said only in words
    ("gyarah so", "saadhe paanch hazaar"), where one misheard word is a wrong zero."""
    money = answer.any_of("amount_of_money", "number") or {}
    if not isinstance(money.get("value"), (int, float)) or money["value"] < SURE_BELOW:
        return False  # below a thousand a slip costs little, and the summary says every price in words anyway
    return bool(money.get("uncertain")) or not re.search(r"[0-9\u0966-\u096f]", answer.text)


def extract_price(answer: Answer) -> dict | None:
    price = _money(answer)
    return price if price and LOWEST <= price["amount"] <= HIGHEST else None
