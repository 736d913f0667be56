"""Shoe sizes for jutti and mojari: "size 7 ka hai", "7 number", "UK 7", "India 7", "7 aur 8 dono", "6 se 10",
kept as {"kind": "shoe", "system": "UK" | "IN" | "EU" | None, "values": [7, 8]} (the system and sizes a feed needs)."""
from __future__ import annotations

import re

from flows.answer import Answer
from flows.money import numbers, whole
from flows.words import words

DIGITS = re.compile(r"(?<![\d.])\d{1,2}(?:\.5)?(?![\d.])")
SIZES = {None: (1, 13), "UK": (1, 13), "IN": (1, 13), "EU": (16, 48)}  # the sizes each system has
MOST_IN_A_RANGE = 13


def read(answer: Answer, any_numbers: bool = False) -> dict | None:
    """The shoe sizes said; with `any_numbers` (a shoe product's size question) bare numbers are sizes too,
    else a system ("UK 7") or a size word ("7 number") must say they are."""
    spaced = _spaced(answer.text)
    system = _system(spaced)
    if not (any_numbers or system or _cued(spaced, answer)):
        return None
    values = _values(answer, spaced)
    low, high = SIZES[system]
    if not values or not all(low <= value <= high for value in values):
        return None
    return {"kind": "shoe", "system": system, "values": values}


def _spaced(text: str) -> str:
    """Lower case, punctuation apart, spaces around: for whole-word matching."""
    return f" {' '.join(re.sub(r'[,;:!?।]', ' ', text.lower()).split())} "


def _system(spaced: str) -> str | None:
    found = (name for name, said in words()["shoe_size_systems"].items() if any(f" {w} " in spaced for w in said))
    return next(found, None)


def _cued(spaced: str, answer: Answer) -> bool:
    """"number"/"size" said, or nlu read a shoe size ("6 se 10 number")."""
    shoe = any(entity.get("value") == "shoe" for entity in answer.entities("size_kind"))
    return shoe or any(f" {word} " in spaced for word in words()["shoe_size_cues"])


def _values(answer: Answer, spaced: str) -> list:
    """The sizes in order, once each; "6 se 10" is every size from 6 to 10."""
    said = [float(n) for n in DIGITS.findall(spaced)] or numbers(answer)
    if len(said) == 2 and _a_range(spaced, said):
        said = [float(n) for n in range(int(said[0]), int(said[1]) + 1)]
    return [whole(value) for value in dict.fromkeys(said)]


def _a_range(spaced: str, said: list[float]) -> bool:
    low, high = said
    joined = any(f" {word} " in spaced for word in words()["size_range_words"]) or "-" in spaced
    whole_sizes = low.is_integer() and high.is_integer()
    return joined and whole_sizes and 0 < high - low <= MOST_IN_A_RANGE


def shown(size: dict) -> str:
    """"UK 7, 8" as the summary shows it."""
    sizes = ", ".join(f"{value:g}" if isinstance(value, float) else str(value) for value in size["values"])
    return f"{size['system']} {sizes}" if size.get("system") else sizes
