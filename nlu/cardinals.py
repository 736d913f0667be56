"""Cardinals in words and digits: "साढ़े तीन सौ", "12 सौ", "1.5k", "two hundred and fifty", "दो लाख पचास हज़ार".

A number is read as groups "[सवा/साढ़े/पौने] [digits or number word] [सौ/हज़ार/लाख]", each group's multiplier
smaller than the one before, ending with a group without a multiplier ("पचास").
"""
from functools import lru_cache
from typing import NamedTuple

from .ambiguous_numbers import TWO, means_a_number
from .lexicon import tables
from .spans import key_at, kind_at, word_at
from .tokens import Token
from .word_lists import word_lists

# English tens that take ones after them: "twenty five", "twenty-five" (Hindi has a word for each of 21..99).
_ENGLISH_TENS = {20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0}


class Cardinal(NamedTuple):
    """A cardinal read from the tokens: its value and the position after its last token."""
    value: float
    after: int


class _Group(NamedTuple):
    """One "[सवा] [base] [multiplier]" group: its value, its multiplier (None if it has none), the position after."""
    value: float
    multiplier: int | None
    after: int


def read_cardinal(toks: list[Token], first: int) -> Cardinal | None:
    """The longest number starting at token `first`, or None."""
    group = read_group(toks, first)
    if group is None:
        return None
    total, after = group.value, group.after
    while group.multiplier is not None:
        pos = after + (key_at(toks, after) == "and")  # "two hundred and fifty"
        following = read_group(toks, pos)
        if not _adds_to(following, group.multiplier, toks, pos):
            break
        group, total, after = following, total + following.value, following.after
    return Cardinal(total, after)


def _adds_to(group: _Group | None, multiplier: int, toks: list[Token], pos: int) -> bool:
    """Does `group`, after one with `multiplier`, add to the number? Yes for "पांच सौ पचास" and "दो लाख पचास
    हज़ार", not for "सौ हज़ार" (a larger multiplier) or "पांच हज़ार दो" read as "give five thousand"."""
    if group is None:
        return False
    if group.multiplier is not None:
        return group.multiplier < multiplier
    return group.value < multiplier and group.value == int(group.value) and not _give(toks, pos, group)


def _give(toks: list[Token], pos: int, group: _Group) -> bool:
    """Is the group a lone "do" that means give here ("पांच हज़ार दो")?"""
    return group.after - pos == 1 and toks[pos].raw.lower() in TWO and not means_a_number(toks, pos)


@lru_cache(maxsize=1)
def _group_words() -> frozenset[str]:
    """Words a group can start with: सवा-like prefixes, number words, fractions, multipliers."""
    words = tables()
    return frozenset(set(words.prefix) | set(words.cardinal) | set(words.fraction) | set(words.multiplier))


def read_group(toks: list[Token], first: int) -> _Group | None:
    """One "[सवा] [base] [multiplier]" group at token `first`, or None."""
    if not _may_start_group(toks, first):
        return None  # most tokens: no need to look further
    prefix = tables().prefix.get(word_at(toks, first))
    base, digits, after = _base_at(toks, first + (prefix is not None), prefix is not None)
    multiplier = _multiplier_at(toks, after, base is not None or prefix is not None, digits)
    after += multiplier is not None
    if base is None and multiplier is None and not _prefix_before_unit(prefix, toks, after):
        return None
    return _Group(_group_value(base, prefix, multiplier), multiplier, after)


def _may_start_group(toks: list[Token], pos: int) -> bool:
    """Digits or a word a group can start with at `pos`."""
    return kind_at(toks, pos) == "d" or word_at(toks, pos) in _group_words()


def _base_at(toks: list[Token], pos: int, prefixed: bool) -> tuple[float | None, bool, int]:
    """The digits or number word a group is built on: (value or None, whether digits, position after it).
    A fraction ("डेढ़", "आधा") is a base only without a prefix."""
    if kind_at(toks, pos) == "d":
        return float(toks[pos].key), True, pos + 1
    word = word_at(toks, pos)
    if word in tables().cardinal:
        return _number_word(toks, pos)
    if word in tables().fraction and not prefixed:
        return tables().fraction[word], False, pos + 1
    return None, False, pos


def _number_word(toks: list[Token], pos: int) -> tuple[float, bool, int]:
    """A number word, with the ones after an English tens word: "twenty five", "twenty-five"."""
    word = toks[pos].key
    value = float(tables().cardinal[word])
    ones_at = pos + 1 + (key_at(toks, pos + 1) == "-")
    ones = _english_ones(toks, ones_at) if word.isascii() and value in _ENGLISH_TENS else 0
    return (value + ones, False, ones_at + 1) if ones else (value, False, pos + 1)


def _english_ones(toks: list[Token], pos: int) -> int:
    """1..9 if token `pos` is an English (ASCII) number word below ten, else 0."""
    word = word_at(toks, pos)
    value = tables().cardinal.get(word, 0) if word is not None and word.isascii() else 0
    return value if 0 < value < 10 else 0


def _multiplier_at(toks: list[Token], pos: int, has_base: bool, digits: bool) -> int | None:
    """सौ/हज़ार/लाख/k at `pos`: some need a number before them ("sau" alone is no number), "k" needs digits."""
    word = word_at(toks, pos)
    if word not in tables().multiplier or _lacks_what_it_needs(word, has_base, digits):
        return None
    return tables().multiplier[word]


def _lacks_what_it_needs(multiplier: str, has_base: bool, digits: bool) -> bool:
    """"sau" needs a number before it, "k" needs digits ("1.5k")."""
    return not has_base and multiplier in word_lists()["multiplier_needs_base"] or multiplier == "k" and not digits


def _prefix_before_unit(prefix: float | None, toks: list[Token], pos: int) -> bool:
    """"सवा मीटर" (1.25 m), "पौने फुट": a prefix alone before a unit counts one of it."""
    return prefix is not None and key_at(toks, pos) in tables().unit


def _group_value(base: float | None, prefix: float | None, multiplier: int | None) -> float:
    """(base, 1 if none, plus the prefix's quarter or half) times the multiplier."""
    value = (1.0 if base is None else base) + (prefix or 0.0)
    return value * multiplier if multiplier else value
