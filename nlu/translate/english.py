"""Saying a matched pattern in English: slots, numbers and durations ("a month and a half", "two weeks")."""
from __future__ import annotations

import re

from ..numbers import english_words
from .lexicon import classes

_PLACEHOLDER = re.compile(r"\{(\w+?)(?:\.(\w+))?\}")
_WORDS_UP_TO = 20  # numbers up to twenty are written as words, larger ones in digits
_FRACTIONS = {0.25: "a quarter", 0.5: "a half", 0.75: "three quarters"}


def number(value: float) -> str:
    """"two", "two and a half", "25"."""
    whole, part = int(value), round(value - int(value), 2)
    if value > _WORDS_UP_TO or (part and part not in _FRACTIONS):
        return f"{value:g}"
    said = english_words(whole) if whole else ""
    if part:
        said = f"{said} and {_FRACTIONS[part]}" if whole else _FRACTIONS[part]
    return said


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" or noun == "hour" else "a ") + noun


def duration(value: float, unit: str) -> str:
    """A number of units as people say it: "a month", "a month and a half", "half a day", "two weeks"."""
    whole, part = int(value), round(value - int(value), 2)
    if whole == 1 and part in _FRACTIONS:
        return f"{_article(unit)} and {_FRACTIONS[part]}"
    if whole == 1 and not part:
        return _article(unit)
    if not whole and part == 0.5:
        return f"half {_article(unit)}"
    return f"{number(value)} {unit}s"


def _slot_text(slot: str, value: str, attribute: str | None) -> str:
    """A slot's English: a number in words, else its class entry's `en` (or the attribute asked for)."""
    kind = re.sub(r"_\d+$", "", slot)  # a second slot of a class is named "<class>_2"
    if kind == "num":
        return number(float(value))
    entry = classes()[kind][value]
    return str(entry.get(attribute or "en", entry["en"]))


def say(template: str, slots: dict, duration_number: str | None) -> str:
    """The template with its placeholders filled, as a sentence (capital first letter)."""
    def fill(found: re.Match) -> str:
        name, attribute = found.group(1), found.group(2)
        if name == "dur":
            count = float(slots.get(duration_number) or 1) if duration_number else 1.0
            return duration(count, classes()["unit"][slots["unit"]]["en"])
        return _slot_text(name, slots[name], attribute)

    text = _PLACEHOLDER.sub(fill, template).strip()
    return text[:1].upper() + text[1:]
