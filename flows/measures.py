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


def size(answer: Answer) -> dict | Retry:
    """Length × width with a unit ("6 bai 4 feet"), or one length ("2.5 meter"); without a unit ("6 bai 4"),
    a Retry that asks for the unit and carries the numbers (see `size_in_unit`)."""
    found = extract_size(answer) or _dimensions(answer) or _two_numbers(answer)
    if found and found.get("unit"):
        return found
    if found:
        return Retry("size_unit", {"length": found["length"], "width": found["width"]})
    return Retry("size")


def _two_numbers(answer: Answer) -> dict | None:
    said = numbers(answer)
    return {"length": whole(said[0]), "width": whole(said[1])} if len(said) >= 2 else None


def size_in_unit(numbers_: dict, text: str, read: Reader) -> dict | None:
    """The unit alone ("feet", "meter") after "6 bai 4": `read` (the NLU) reads the numbers and the unit together."""
    fragment = f"{numbers_['length']}x{numbers_['width']} {text}"
    return extract_size(Answer.of(fragment, read, expect="size"))


def _dimensions(answer: Answer) -> dict | None:
    entity = answer.first("dimensions")
    if not (entity and isinstance(entity.get("value"), dict)):
        return None
    value = entity["value"]
    found = {"length": whole(value["length"]), "width": whole(value["width"]), "unit": value.get("unit")}
    if value.get("height"):
        found["height"] = whole(value["height"])
    return found


def extract_size(answer: Answer) -> dict | None:
    """A size with its unit; "6 bai 4" alone is left for the size question, which asks feet or metres."""
    found = _dimensions(answer)
    if found:
        return found if found["unit"] else None
    length = next((e for e in answer.entities("quantity") if e.get("unit") in LENGTH_UNITS), None)
    return {"length": whole(length["value"]), "width": None, "unit": length["unit"]} if length else None


def size_in_words(answer: Answer) -> str | None:
    """A size that is not a measure, in the artisan's words: shoe numbers, free or kids size, S/M/L, litres."""
    text = " ".join(answer.text.split())
    if 1 <= len(text) <= 60 and (_has_size_word(text.lower()) or SIZE_LETTERS.fullmatch(text.lower())):
        return text
    return None


def _has_size_word(lowered: str) -> bool:
    padded = f" {lowered} "
    return any(f" {word} " in padded or f"{word} " in padded.lstrip() for word in words()["size_words"])


def count(answer: Answer) -> int | Retry:
    """How many are ready to sell: a bare number here, or "5 piece", "bees jodi", "50 meter"."""
    found = extract_count(answer, COUNT_UNITS | {"metre"})
    if found:
        return found
    if answer.first("amount_of_money") or answer.first("dimensions"):
        return Retry("quantity")
    said = [n for n in numbers(answer) if n.is_integer()]
    if len(said) == 1 and 1 <= said[0] <= MOST:
        return int(said[0])
    return Retry("quantity")


def _counted(entity: dict, units) -> float | None:
    """The number a quantity entity counts: "pachas darjan" is 50, counted in dozens; None for another unit."""
    if entity.get("per") and entity.get("count") is not None:
        return float(entity["count"])
    return float(entity["value"]) if entity.get("unit") in units else None


def _stock(entity: dict) -> bool:
    """"4 kilo rui" inside a razai is what it is made of, not stock."""
    return entity.get("measure") != "content"


def extract_count(answer: Answer, units=COUNT_UNITS) -> int | None:
    """How many, in the unit said ("bees jodi" → 20; the unit is read by `count_unit`). Metres count only when
    the quantity is asked ("50 meter" then); elsewhere they are a size."""
    counted = (_counted(e, units) for e in answer.entities("quantity") if _stock(e))
    number = next((n for n in counted if n is not None), None)
    return int(number) if number is not None and number.is_integer() and 1 <= number <= MOST else None


def count_before_product(answer: Answer) -> int | None:
    """A bare number right before the product is how many there are ("3 panja dari h", "do kambal")."""
    product = answer.first("product")
    if not product or "start" not in product:
        return None
    return next((int(e["value"]) for e in answer.entities("number") if _just_before(answer, e, product["start"])),
                None)


def _just_before(answer: Answer, number: dict, start: int) -> bool:
    gap = answer.text[number.get("end", -99):start]
    return 0 <= len(gap) <= 12 and len(gap.split()) <= 1 and float(number["value"]).is_integer() \
        and 1 <= number["value"] <= MOST


def count_unit(answer: Answer) -> str | None:
    """The unit a quantity was counted in ("pair", "dozen", "set", "kilogram", "metre"), None for pieces."""
    unit = next((e.get("per") or e.get("unit") for e in answer.entities("quantity")
                 if _stock(e) and (e.get("per") or e.get("unit")) in COUNT_UNITS | {"metre"}), None)
    unit = UNIT_NAMES.get(unit, unit)
    return None if unit == "piece" else unit
