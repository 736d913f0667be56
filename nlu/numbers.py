"""Numbers: cardinals in words and digits (सवा/साढ़े/पौने, सौ/हज़ार/लाख), ordinals, and numbers in words."""
import re
from typing import NamedTuple

from .ambiguous_numbers import means_a_number
from .cardinals import read_cardinal
from .lexicon import tables
from .number_words import english_words, hindi_words
from .spans import touches_previous, word_at
from .tokens import Token

# hindi_words and english_words live in number_words.py; nlu/__init__.py imports them from here.
__all__ = ["Num", "tidy", "find_numbers", "hindi_words", "english_words"]

_ORDINAL_SUFFIXES = ("वां", "वा", "विं", "वि", "वें", "वे", "van", "va", "vin", "vi", "ve")
# No suffix ends another one, so a word splits into stem and suffix one way at most.
_ORDINAL_WORD = re.compile("(.{2,})(?:" + "|".join(_ORDINAL_SUFFIXES) + ")")
_SMALLEST_WORD_ORDINAL = 5  # "दसवां" is read from दस + वां; पहला to चौथा (and some more) are in ordinals.yml


class Num(NamedTuple):
    """A number read from tokens first..after-1: its value and whether any of its tokens are digits."""
    value: float
    first: int
    after: int
    digits: bool

    @property
    def i(self) -> int:
        """The first token (the name parse.py still uses)."""
        return self.first

    @property
    def j(self) -> int:
        """The position after the last token (the name parse.py still uses)."""
        return self.after


def tidy(value: float) -> int | float:
    """Whole numbers as int, others rounded to 4 places."""
    value = round(value, 4)
    return int(value) if value == int(value) else value


def find_numbers(toks: list[Token], eager: bool = False) -> tuple[list[Num], list[Num]]:
    """All cardinals and ordinals in the tokens, left to right, without overlap.

    `eager`: a number is expected, so "do" and "ek" are read as numbers wherever they stand."""
    cardinals, ordinals, pos = [], [], 0
    while pos < len(toks):
        ordinal = _ordinal_at(toks, pos)
        if ordinal:
            ordinals.append(ordinal)
            pos = ordinal.after
            continue
        cardinal = _cardinal_at(toks, pos, eager)
        if cardinal:
            cardinals.append(cardinal)
        pos = cardinal.after if cardinal else pos + 1
    return cardinals, ordinals


def _ordinal_at(toks: list[Token], pos: int) -> Num | None:
    """An ordinal at `pos`: "2nd", "5वां" (digits), "दूसरा", "third", "gyarahvan" (a word)."""
    reader = _ORDINAL_READERS.get(toks[pos].kind)
    return reader(toks, pos) if reader else None


def _word_ordinal_at(toks: list[Token], pos: int) -> Num | None:
    """"दूसरा", "third" (ordinals.yml), "gyarahvan", "दसवां" (a number word with an ordinal suffix)."""
    value = tables().ordinal.get(toks[pos].key) or _word_ordinal(toks[pos].key)
    return Num(value, pos, pos + 1, False) if value else None


def _digit_ordinal(toks: list[Token], pos: int) -> Num | None:
    """"2nd", "5वां", "10th": whole digits with an ordinal suffix written onto them."""
    suffix = word_at(toks, pos + 1)
    if suffix in tables().ordinal_suffix and "." not in toks[pos].key and touches_previous(toks, pos + 1):
        return Num(int(toks[pos].key), pos, pos + 2, True)
    return None


def _word_ordinal(word: str) -> int | None:
    """"दसवां", "gyarahvan": a number word of two letters or more with an ordinal suffix."""
    stem = _ORDINAL_WORD.fullmatch(word)
    value = tables().cardinal.get(stem.group(1), 0) if stem else 0
    return value if value >= _SMALLEST_WORD_ORDINAL else None


# By token kind: digits with a suffix, or a word.
_ORDINAL_READERS = {"d": _digit_ordinal, "w": _word_ordinal_at}


def _cardinal_at(toks: list[Token], pos: int, eager: bool) -> Num | None:
    """A cardinal starting at `pos`, unless it is a lone "do" or "ek" that is no number here."""
    cardinal = read_cardinal(toks, pos)
    if cardinal is None or not _meant(toks, pos, cardinal.after, eager):
        return None
    return Num(cardinal.value, pos, cardinal.after, _has_digits(toks[pos:cardinal.after]))


def _has_digits(toks: list[Token]) -> bool:
    """Is any of the tokens digits?"""
    return any(token.kind == "d" for token in toks)


def _meant(toks: list[Token], pos: int, after: int, eager: bool) -> bool:
    """Is the cardinal at pos..after-1 meant as a number: more than one token, digits, a number expected, or a
    number word that is no verb or article here?"""
    return after > pos + 1 or toks[pos].kind == "d" or eager or means_a_number(toks, pos)
