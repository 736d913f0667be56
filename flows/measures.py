"""Sizes and counts: "6 bai 4 feet", "2.5 meter", "free size"; "5 piece", "bees jodi", "3 panja dari"."""
from __future__ import annotations

import re

from flows.answer import Answer
from flows.money import LENGTH_UNITS, UNIT_NAMES, numbers, whole
from flows.types import Reader, Retry
from flows.words import words

COUNT_UNITS = {"piece", "pair", "dozen", "set", "kilogram", "kg", None}
MOST = 10_000  # pieces ready to sell
SIZE_LETTERS = re.compile(r"(?:[smlx]{1,3}|xxl)(?:\s*[,/-]\s*(?:[smlx]{1,3}|xxl))*")
MAX_SIZE_WORDS = 60  # characters of a size said in words


def size(answer: Answer) -> dict | Retry:
    """Length × width with a unit ("6 bai 4 feet"), or one length ("2.5 meter"); without a unit ("6 bai 4"),
    a Retry that asks for the unit and carries the numbers (see `size_in_unit`)."""
    found = extract_size(answer)
    if found:
        return found
    unitless = _unitless(answer)
    return Retry("size_unit", unitless) if unitless else Retry("size")


def _unitless(answer: Answer) -> dict | None:
    """"6 bai 4" (or two bare numbers) without a unit: the length and the width."""
    found = _dimensions(answer) or _two_numbers(answer)
    return {"length": found["length"], "width": found["width"]} if found else None


def _two_numbers(answer: Answer) -> dict | None:
    said = numbers(answer)
    return {"length": whole(said[0]), "width": whole(said[1])} if len(said) >= 2 else None


def size_in_unit(numbers_: dict, text: str, read: Reader) -> dict | None:
    """The unit alone ("feet", "meter") after "6 bai 4": `read` (the NLU) reads the numbers and the unit together."""
    fragment = f"{numbers_['length']}x{numbers_['width']} {text}"
    return extract_size(Answer.of(fragment, read, expect="size"))


def _dimensions(answer: Answer) -> dict | None:
    """nlu's "dimensions": length, width (height) and the unit, when it said one."""
    entity = answer.first("dimensions") or {}
    value = entity.get("value")
    if not isinstance(value, dict):
        return None
    found = {"length": whole(value["length"]), "width": whole(value["width"]), "unit": value.get("unit")}
    if value.get("height"):
        found["height"] = whole(value["height"])
    return found


def extract_size(answer: Answer) -> dict | None:
    """A size with its unit; "6 bai 4" alone is left for the size question, which asks feet or metres."""
    found = _dimensions(answer)
    if found:
        return found if found["unit"] else None
    return _length(answer)


def _length(answer: Answer) -> dict | None:
    """One length with its unit ("2.5 meter"); two in one unit are the length and the width ("dhai meter ka
    hai, sava meter chauda": the width is never dropped)."""
    lengths = list(filter(_a_length, answer.entities("quantity")))
    if not lengths:
        return None
    first, width = lengths[0], None
    if len(lengths) == 2 and lengths[1]["unit"] == first["unit"]:
        width = whole(lengths[1]["value"])
    return {"length": whole(first["value"]), "width": width, "unit": first["unit"]}


def _a_length(entity: dict) -> bool:
    return entity.get("unit") in LENGTH_UNITS


def size_in_words(answer: Answer) -> str | None:
    """A size that is not a measure, in the artisan's words: shoe numbers, free or kids size, S/M/L, litres."""
    text = " ".join(answer.text.split())
    if 1 <= len(text) <= MAX_SIZE_WORDS and _a_size_said(text.lower()):
        return text
    return None


def _a_size_said(lowered: str) -> bool:
    """A size word in the text ("free size", "10 litre", "6 se 10 number"), or sizes in letters ("S, M, L")."""
    spaced = f"{lowered} "
    return any(f"{word} " in spaced for word in words()["size_words"]) or bool(SIZE_LETTERS.fullmatch(lowered))


def count(answer: Answer) -> int | Retry:
    """How many are ready to sell: a bare number here, or "5 piece", "bees jodi", "50 meter"."""
    found = extract_count(answer, COUNT_UNITS | {"metre"})
    if found:
        return found
    bare = None if answer.any_of("amount_of_money", "dimensions") else _bare_count(answer)
    return bare or Retry("quantity")


def _bare_count(answer: Answer) -> int | None:
    """The one whole number said, when it can be a count."""
    said = list(filter(float.is_integer, numbers(answer)))
    return int(said[0]) if len(said) == 1 and _countable(said[0]) else None


def _countable(number) -> bool:
    return float(number).is_integer() and 1 <= number <= MOST


def stock(answer: Answer) -> list[dict]:
    """The quantities nlu read that count stock ("4 kilo rui" inside a razai is what it is made of)."""
    return [entity for entity in answer.entities("quantity") if entity.get("measure") != "content"]


def _counted(entity: dict, units) -> float | None:
    """The number a quantity entity counts: "pachas darjan" is 50, counted in dozens; None for another unit."""
    if entity.get("per") and entity.get("count") is not None:
        return float(entity["count"])
    return float(entity["value"]) if entity.get("unit") in units else None


def extract_count(answer: Answer, units=COUNT_UNITS) -> int | None:
    """How many, in the unit said ("bees jodi" → 20; the unit is read by `count_unit`). Metres count only when
    the quantity is asked ("50 meter" then); elsewhere they are a size."""
    counted = [number for number in (_counted(entity, units) for entity in stock(answer)) if number is not None]
    return int(counted[0]) if counted and _countable(counted[0]) else None


def count_before_product(answer: Answer) -> int | None:
    """A bare number right before the product is how many there are ("3 panja dari h", "do kambal")."""
    product = answer.first("product") or {}
    if "start" not in product:
        return None
    found = next((n for n in answer.entities("number") if _just_before(answer.text, n, product["start"])), None)
    return int(found["value"]) if found else None


def _just_before(text: str, number: dict, start: int) -> bool:
    gap = text[number.get("end", -99):start]
    return len(gap) <= 12 and len(gap.split()) <= 1 and _countable(number["value"])


def _unit_said(entity: dict) -> str | None:
    return entity.get("per") or entity.get("unit")


def count_unit(answer: Answer) -> str | None:
    """The unit a quantity was counted in ("pair", "dozen", "set", "kilogram", "metre"), None for pieces."""
    unit = next((u for u in map(_unit_said, stock(answer)) if u in COUNT_UNITS | {"metre"}), None)
    unit = UNIT_NAMES.get(unit, unit)
    return None if unit == "piece" else unit
