"""Translating what an artisan says about their work, clause by clause: a clause is put into English only when
patterns cover all of it; anything else is kept, untranslated, for staff (never guessed)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import english, passthrough
from .lexicon import Clause, clauses
from .patterns import Pattern, patterns, tokens_text

CONNECTOR = "and"  # an "and" between two covered parts joins them and says nothing itself


@dataclass(frozen=True)
class Piece:
    """One clause: the artisan's text, its English (None when not translated) and the kinds of what it says."""
    text: str
    english: str | None
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Translation:
    """The English of a text, and what was left for staff."""
    pieces: tuple[Piece, ...]

    @property
    def english(self) -> str:
        return " ".join(p.english for p in self.pieces if p.english)

    @property
    def untranslated(self) -> list[str]:
        return [p.text for p in self.pieces if p.english is None]

    @property
    def status(self) -> str:
        """"full", "partial" or "none"; "empty" when nothing was said that needs English."""
        left, said = self.untranslated, any(p.english for p in self.pieces)
        if not left:
            return "full" if said else "empty"
        return "partial" if said else "none"


def translate(text: str) -> Translation:
    """The English of `text` (Hindi in Devanagari or Roman letters, or English kept as it is)."""
    return Translation(tuple(_piece(clause) for clause in clauses(text or "")))


def _piece(clause: Clause) -> Piece:
    covered = _cover(clause.tokens)
    if covered is None and passthrough.is_english(clause):
        return Piece(clause.text, passthrough.sentence(clause.text), ("english",))
    if covered is None:
        return Piece(clause.text, None)
    said = [english.say(p.en, slots, p.duration_number) for p, slots in covered]
    return Piece(clause.text, " ".join(s for s in said if s), tuple(p.kind for p, _ in covered))


def _cover(tokens: tuple) -> list[tuple[Pattern, dict]] | None:
    """The fewest patterns that together cover every token (an "and" may stand between two); None if none do."""
    text, starts = tokens_text(tokens)
    index = {start: i for i, start in enumerate(starts)}

    @lru_cache(maxsize=None)
    def best(i: int):
        if i == len(tokens):
            return ()
        options = [(p, m) for p in patterns() if (m := p.regex.match(text, starts[i]))]
        found = []
        for pattern, match in options:
            rest = best(index.get(match.end(), len(tokens)))
            if rest is not None:
                found.append(((pattern, _slots(match)),) + rest)
        if not found and CONNECTOR in tokens[i] and i > 0:
            return best(i + 1)
        return min(found, key=len) if found else None

    covered = best(0)
    return list(covered) if covered is not None else None


def _slots(match) -> dict:
    return {name: value for name, value in match.groupdict().items() if value is not None}
