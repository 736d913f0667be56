"""Sizes that are not length × width, for the flow to keep as said: shoe sizes ("6 से 10 नंबर", "UK 7"), "free
size", kids' sizes, S/M/L, capacities ("10 लीटर"). Entity "size_kind", value one of shoe, free, kids, letters,
capacity; the numbers in them stay numbers too."""
from functools import lru_cache

from .normalise import key
from .numbers import Num, tidy
from .spans import key_at, kind_at, span, touches_previous
from .tokens import Token
from .word_lists import word_lists

_SIZE_WORDS = {key(word) for word in ("size", "sizes", "साइज", "साईज")}
_RANGE_WORDS = ("से", "to", "-", "se")  # "6 से 10 नंबर"
_SHOE_SIZES = (1, 13)  # the smallest and largest shoe size in a range ("6 से 10 नंबर")
_LARGEST_SYSTEM_SIZE = 47  # "EU 47": the largest size after a sizing system's name
_SYSTEMS = {"uk": "UK", "india": "India", "indian": "Indian", "eu": "Eu"}  # as the flow has always stored them
_PHRASES = (("free_size", "free"), ("kids_size", "kids"))  # word list, and the size_kind it names


def size_kinds(toks: list[Token], nums: list[Num]) -> list[dict]:
    """Every size_kind entity in the message: named sizes first, then sizes around numbers, then letter sizes."""
    number_at = {num.first: num for num in nums}
    out = _named_sizes(toks)
    for num in nums:
        found = _shoe_range(toks, num, number_at) or _shoe_in_system(toks, num) or _capacity(toks, num)
        if found:
            out.append(found)
    return out + _letter_sizes(toks)


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
    keys, found = tuple(token.key for token in toks), []
    present = set(keys)
    for words, kind in _size_phrases():
        if words[0] not in present:
            continue  # most messages name no size: skip the phrase at once
        for first in _positions(keys, words):
            if not any(entity["start"] <= toks[first].start < entity["end"] for entity in found):
                found.append(span("size_kind", kind, toks, first, first + len(words)))
    return found


def _positions(keys: tuple[str, ...], words: tuple[str, ...]) -> list[int]:
    """Where the phrase `words` stands in `keys`."""
    return [first for first in range(len(keys) - len(words) + 1) if keys[first:first + len(words)] == words]


def _shoe_range(toks: list[Token], num: Num, number_at: dict[int, Num]) -> dict | None:
    """"6 से 10 नंबर": two shoe sizes and a shoe word."""
    upper = number_at.get(num.after + 1) if key_at(toks, num.after) in _RANGE_WORDS else None
    if upper is None or key_at(toks, upper.after) not in word_lists()["shoe_word"]:
        return None
    if not (_shoe_size(num.value) and _shoe_size(upper.value)):
        return None
    return span("size_kind", "shoe", toks, num.first, upper.after + 1, sizes=[tidy(num.value), tidy(upper.value)])


def _shoe_size(value: float) -> bool:
    """A shoe size in a range: 1 to 13."""
    return _SHOE_SIZES[0] <= value <= _SHOE_SIZES[1]


def _shoe_in_system(toks: list[Token], num: Num) -> dict | None:
    """"UK 7", "EU size 40", "indian 8"."""
    system_pos = num.first - 1 - (key_at(toks, num.first - 1) in _SIZE_WORDS)
    system = _SYSTEMS.get(key_at(toks, system_pos))
    if system is None or num.value > _LARGEST_SYSTEM_SIZE:
        return None
    return span("size_kind", "shoe", toks, system_pos, num.after, sizes=[tidy(num.value)], system=system)


def _capacity(toks: list[Token], num: Num) -> dict | None:
    """"10 लीटर", "500 ml", "2l" (a lone "l" only written onto the number)."""
    unit = key_at(toks, num.after)
    if unit not in word_lists()["capacity_unit"] or unit == "l" and not touches_previous(toks, num.after):
        return None
    return span("size_kind", "capacity", toks, num.first, num.after + 1, amount=tidy(num.value),
                unit="ml" if unit == "ml" else "litre")


def _letter_sizes(toks: list[Token]) -> list[dict]:
    """"S M L", "size M": two letter sizes, or one with the word size (not after digits: "5 m" is five metres)."""
    letters = [pos for pos, token in enumerate(toks)
               if token.kind == "w" and token.key in word_lists()["letter_size"] and kind_at(toks, pos - 1) != "d"]
    named = any(token.key in _SIZE_WORDS for token in toks)
    if len(letters) < 2 and not (letters and named):
        return []
    return [span("size_kind", "letters", toks, letters[0], letters[-1] + 1,
                 sizes=[toks[pos].raw.upper() for pos in letters])]
