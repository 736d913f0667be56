"""Sizes that are not length × width, for the flow to keep as said: shoe sizes ("6 से 10 नंबर", "UK 7"), "free
size", kids' sizes, S/M/L, capacities ("10 लीटर"). Entity "size_kind", value one of shoe, free, kids, letters,
capacity; the numbers in them stay numbers too."""
from functools import lru_cache
from typing import Iterator

from .normalise import key
from .numbers import Num, tidy
from .spans import key_at, kind_at, span, touches_previous, word_at
from .tokens import Token
from .word_lists import word_lists

_SIZE_WORDS = {key(word) for word in ("size", "sizes", "साइज", "साईज")}
_RANGE_WORDS = ("से", "to", "-", "se")  # "6 से 10 नंबर"
_SMALLEST_SHOE, _LARGEST_SHOE = 1, 13  # shoe sizes in a range ("6 से 10 नंबर")
_LARGEST_SYSTEM_SIZE = 47  # "EU 47": the largest size after a sizing system's name
_SYSTEMS = {"uk": "UK", "india": "India", "indian": "Indian", "eu": "Eu"}  # as the flow has always stored them
_CAPACITY_UNITS = {"ml": "ml"}  # what a capacity word is stored as: every other one ("लीटर", "ltr", "l") is litre
_PHRASES = (("free_size", "free"), ("kids_size", "kids"))  # word list, and the size_kind it names


def size_kinds(toks: list[Token], nums: list[Num]) -> list[dict]:
    """Every size_kind entity in the message: named sizes first, then sizes around numbers, then letter sizes."""
    return _named_sizes(toks) + _sizes_at_numbers(toks, nums) + _letter_sizes(toks)


@lru_cache(maxsize=1)
def _size_phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """The free and kids' size phrases as words, each list's longer phrases first, with the size_kind they name."""
    return tuple((tuple(phrase.split()), kind) for name, kind in _PHRASES
                 for phrase in sorted(word_lists()[name], key=_longest_first))


def _longest_first(phrase: str) -> int:
    """Sort key: phrases of more words first."""
    return -len(phrase.split())


def _named_sizes(toks: list[Token]) -> list[dict]:
    """"free size", "kids size", "बच्चों का साइज": each phrase where it stands, unless it starts inside one found."""
    found = []
    for first, stop, kind in _phrase_matches(tuple(token.key for token in toks)):
        if not _starts_inside(toks[first].start, found):
            found.append(span("size_kind", kind, toks, first, stop))
    return found


def _phrase_matches(keys: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """(first, stop, size_kind) for each size phrase wherever it stands, phrase by phrase."""
    present = set(keys)
    for words, kind in _size_phrases():
        if words[0] in present:  # most messages name no size: skip the phrase at once
            yield from ((first, first + len(words), kind) for first in _positions(keys, words))


def _positions(keys: tuple[str, ...], words: tuple[str, ...]) -> list[int]:
    """Where the phrase `words` stands in `keys`."""
    return [first for first in range(len(keys) - len(words) + 1) if keys[first:first + len(words)] == words]


def _starts_inside(start: int, found: list[dict]) -> bool:
    """Does offset `start` fall inside one of the entities found?"""
    return any(entity["start"] <= start < entity["end"] for entity in found)


def _sizes_at_numbers(toks: list[Token], nums: list[Num]) -> list[dict]:
    """Shoe sizes and capacities around the numbers."""
    number_at = {num.first: num for num in nums}
    return list(filter(None, (_size_at_number(toks, num, number_at) for num in nums)))


def _size_at_number(toks: list[Token], num: Num, number_at: dict[int, Num]) -> dict | None:
    """The number as a shoe size range, else a shoe size in a system, else a capacity, else None."""
    return _shoe_range(toks, num, number_at) or _shoe_in_system(toks, num) or _capacity(toks, num)


def _shoe_range(toks: list[Token], num: Num, number_at: dict[int, Num]) -> dict | None:
    """"6 से 10 नंबर": two shoe sizes and a shoe word."""
    upper = _range_upper(toks, num, number_at)
    if upper is None or not _shoe_sizes(num.value, upper.value):
        return None
    return span("size_kind", "shoe", toks, num.first, upper.after + 1, sizes=[tidy(num.value), tidy(upper.value)])


def _range_upper(toks: list[Token], num: Num, number_at: dict[int, Num]) -> Num | None:
    """The number after "से", "to" or "-" after `num`, if a shoe word ("नंबर", "size") follows it."""
    upper = number_at.get(num.after + 1) if key_at(toks, num.after) in _RANGE_WORDS else None
    return upper if upper is not None and key_at(toks, upper.after) in word_lists()["shoe_word"] else None


def _shoe_sizes(*values: float) -> bool:
    """Are all the values shoe sizes (1 to 13)?"""
    return _SMALLEST_SHOE <= min(values) and max(values) <= _LARGEST_SHOE


def _shoe_in_system(toks: list[Token], num: Num) -> dict | None:
    """"UK 7", "EU size 40", "indian 8"."""
    system_pos = num.first - 1 - (key_at(toks, num.first - 1) in _SIZE_WORDS)
    system = _SYSTEMS.get(key_at(toks, system_pos))
    if system is None or num.value > _LARGEST_SYSTEM_SIZE:
        return None
    return span("size_kind", "shoe", toks, system_pos, num.after, sizes=[tidy(num.value)], system=system)


def _capacity(toks: list[Token], num: Num) -> dict | None:
    """"10 लीटर", "500 ml", "2l"."""
    unit = _capacity_unit(toks, num.after)
    if unit is None:
        return None
    return span("size_kind", "capacity", toks, num.first, num.after + 1, amount=tidy(num.value), unit=unit)


def _capacity_unit(toks: list[Token], pos: int) -> str | None:
    """"ml" or "litre" for a capacity word at `pos`; a lone "l" only written onto the number ("2l", not "2 l")."""
    word = key_at(toks, pos)
    if word not in word_lists()["capacity_unit"] or word == "l" and not touches_previous(toks, pos):
        return None
    return _CAPACITY_UNITS.get(word, "litre")


def _letter_sizes(toks: list[Token]) -> list[dict]:
    """"S M L", "size M": two letter sizes, or one with the word size."""
    letters = _letter_positions(toks)
    if not _letters_are_sizes(toks, letters):
        return []
    return [span("size_kind", "letters", toks, letters[0], letters[-1] + 1,
                 sizes=[toks[pos].raw.upper() for pos in letters])]


def _letter_positions(toks: list[Token]) -> list[int]:
    """Where letter sizes stand."""
    return [pos for pos in range(len(toks)) if _letter_size_at(toks, pos)]


def _letter_size_at(toks: list[Token], pos: int) -> bool:
    """A letter size at `pos`, not after digits ("5 m" is five metres)."""
    return word_at(toks, pos) in word_lists()["letter_size"] and kind_at(toks, pos - 1) != "d"


def _letters_are_sizes(toks: list[Token], letters: list[int]) -> bool:
    """Two letter sizes or more, or one and the word size ("size M"): a lone "m" or "s" is no size."""
    return len(letters) >= 2 or bool(letters) and _names_size(toks)


def _names_size(toks: list[Token]) -> bool:
    """Does the message say "size"?"""
    return any(token.key in _SIZE_WORDS for token in toks)
