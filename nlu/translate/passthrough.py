"""Clauses the artisan wrote in English are kept as written (data/english.yml says which words tell)."""
from __future__ import annotations

from functools import lru_cache

from ..normalise import key
from .lexicon import Clause, data

SHARE = 0.6  # of a clause's words that must be common English words


@lru_cache(maxsize=None)
def _words() -> tuple[frozenset, frozenset]:
    table = data("english.yml")
    return frozenset(w.lower() for w in table["english"]), frozenset(key(w) for w in table["hindi_markers"])


def is_english(clause: Clause) -> bool:
    """Latin letters only, no Hindi grammar word, and mostly common English words."""
    if not clause.text.isascii():
        return False
    english, hindi = _words()
    words = [w.strip(".,!?;:'\"()").lower() for w in clause.text.split()]
    words = [w for w in words if w and not w.isdigit()]
    if not words or any(key(w) in hindi for w in words):
        return False
    return sum(w in english for w in words) >= SHARE * len(words)


def sentence(text: str) -> str:
    """The clause as a sentence: capital first letter, a full stop."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
