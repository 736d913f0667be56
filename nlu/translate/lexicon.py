"""The translator's words (data/lexicon.yml): a clause as tokens, each token with every reading it may have."""
from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

import yaml

from ..normalise import phrase_key
from ..numbers import find_numbers, tidy
from ..tokens import Token, tokenize

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
FILLER = "_"
LONGEST_FORM = 5  # words in the longest form of the lexicon
CLAUSE_ENDS = set(",.;:!?।|/()[]\"") | {"\u0965"}


@lru_cache(maxsize=None)
def data(name: str) -> dict:
    """One of the translator's data files, read once."""
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.BaseLoader)  # every word a string: "no" and "on" are words here


def classes() -> dict:
    """Slot classes: class -> value -> entry (en, forms, other attributes)."""
    return data("lexicon.yml")["classes"]


@lru_cache(maxsize=None)
def readings() -> dict[tuple[str, ...], tuple[str, ...]]:
    """A form's matching keys -> its readings: token names, "class=value", or the filler mark."""
    found: dict[tuple[str, ...], list[str]] = defaultdict(list)
    lexicon = data("lexicon.yml")
    for form in lexicon["fillers"]:
        found[phrase_key(str(form))].append(FILLER)
    for token, forms in lexicon["words"].items():
        for form in forms:
            found[phrase_key(str(form))].append(token)
    for name, values in lexicon["classes"].items():
        for value, entry in values.items():
            for form in entry["forms"]:
                found[phrase_key(str(form))].append(f"{name}={value}")
    return {key: _meaning_first(said) for key, said in found.items() if key}


def _meaning_first(said: list[str]) -> tuple[str, ...]:
    """The readings, without the filler mark when the form also means something."""
    unique = tuple(dict.fromkeys(said))
    meant = tuple(r for r in unique if r != FILLER)
    return meant or unique


class Clause(NamedTuple):
    """A stretch of the text between punctuation: its original words and its tokens' readings."""
    text: str
    tokens: tuple[tuple[str, ...], ...]


def clauses(text: str) -> list[Clause]:
    """The text cut at punctuation and line breaks, each part read into tokens (fillers left out)."""
    parts: list[list[Token]] = [[]]
    previous = None
    for token in tokenize(text):
        if token.kind == "p" and token.raw in CLAUSE_ENDS or previous and "\n" in text[previous.end:token.start]:
            parts.append([])
        if token.kind != "p":
            parts[-1].append(token)
        previous = token
    return [Clause(text[p[0].start:p[-1].end], read(p)) for p in parts if p]


def read(words: list[Token]) -> tuple[tuple[str, ...], ...]:
    """Each word's readings: forms of several words first, then numbers, then single words; unknown as "?key"."""
    numbers = {n.first: n for n in find_numbers(words, eager=True)[0]}
    table, found, pos = readings(), [], 0
    while pos < len(words):
        size, said = _longest_form(words, pos, table)
        number = numbers.get(pos)
        if number and size < 2:
            size, said = number.after - pos, (f"num={tidy(number.value)}",)
        found.append(said or (f"?{words[pos].key}",))
        pos += size
    return tuple(t for t in found if t != (FILLER,))


def _longest_form(words: list[Token], pos: int, table: dict) -> tuple[int, tuple[str, ...]]:
    """The longest form of the lexicon starting at `pos`: (its length in words, its readings); (1, ()) for none."""
    for size in range(min(LONGEST_FORM, len(words) - pos), 0, -1):
        said = table.get(tuple(w.key for w in words[pos:pos + size]))
        if said:
            return size, said
    return 1, ()
