"""What a price is for: the unit of sale after it ("500 रुपये प्रति मीटर", "350 each", "1500 for the set") or
before it ("दर्जन के 600", "per meter 140")."""
from functools import lru_cache
from typing import NamedTuple

from .lexicon import tables
from .numbers import Num
from .price_words import SMALLEST_BARE_PRICE
from .spans import key_at, kind_at
from .tokens import Token
from .units import ONE, WHOLE, sale_unit
from .word_lists import word_lists

_ARTICLES = ("the", "a", "one", "ek", "1", "each")  # "for the set", "for a pair", "for one piece"


def rate_after(toks: list[Token], pos: int, num: Num, marked: bool) -> tuple[str | None, int]:
    """The unit the price `num` is for, from token `pos` on: "प्रति मीटर", "/m", "per piece", "का एक", "रुपये
    मीटर", "pura set": (unit or None, position after it). `marked`: a currency or "/-" says it is money."""
    priced = marked or num.value >= SMALLEST_BARE_PRICE
    for rule in _RATE_RULES:
        decided = rule(toks, pos, marked, priced)
        if decided is not None:
            return decided
    return None, pos


def _rate(unit: str | None, after: int) -> tuple[str, int] | None:
    """A rule's finding: the unit and the position after it, or None if it found no unit."""
    return (unit, after) if unit else None


def _whole_set(toks: list[Token], pos: int, marked: bool, priced: bool) -> tuple[str, int] | None:
    """"800 rs pura set": money for the whole set."""
    if not (marked and key_at(toks, pos) in WHOLE):
        return None
    return _rate(sale_unit(key_at(toks, pos + 1)), pos + 2)


def _unit_after_per(toks: list[Token], pos: int, marked: bool, priced: bool) -> tuple[str | None, int] | None:
    """"प्रति मीटर", "per piece", "/m", "per ek jodi": after a per word, the unit it names decides (no unit: no
    rate)."""
    if key_at(toks, pos) not in tables().per:
        return None
    unit_pos = pos + 1 + (key_at(toks, pos + 1) in ONE)
    return _rate(tables().unit.get(key_at(toks, unit_pos)), unit_pos + 1) or (None, pos)


def _unit_after_money(toks: list[Token], pos: int, marked: bool, priced: bool) -> tuple[str, int] | None:
    """"500 रुपये मीटर": a unit right after the rupees (not an ambiguous one like "m")."""
    return _rate(_unambiguous_unit(key_at(toks, pos)), pos + 1) if marked else None


def _unambiguous_unit(word: str | None) -> str | None:
    """The unit `word` names, unless it may be something else too ("m", "'")."""
    return None if word in tables().ambiguous_unit else tables().unit.get(word)


def _one_piece(toks: list[Token], pos: int, marked: bool, priced: bool) -> tuple[str, int] | None:
    """"300 रुपये एक का": the price of one piece."""
    one = key_at(toks, pos) in ONE and _price_mark(toks, pos + 1, priced)
    return ("piece", pos + 2) if one else None


def _price_mark(toks: list[Token], pos: int, priced: bool) -> bool:
    """Is token `pos` a price mark ("का", "ke", "mein") after a number that can be a price?"""
    return priced and key_at(toks, pos) in tables().price_suffix


def _one_after_price_mark(toks: list[Token], pos: int, marked: bool, priced: bool) -> tuple[str, int] | None:
    """"200 का एक" (a piece), "100 ka ek joda" (a pair)."""
    if not (_price_mark(toks, pos, priced) and key_at(toks, pos + 1) in ONE):
        return None
    unit = tables().unit.get(key_at(toks, pos + 2))
    return (unit, pos + 3) if unit else ("piece", pos + 2)


def _unit_after_price_mark(toks: list[Token], pos: int, marked: bool, priced: bool) -> tuple[str, int] | None:
    """"1200 rupay ka set", "ढाई हजार का पूरा सेट"; without rupees, only with "pura": "500 ka pura set"."""
    if not _price_mark(toks, pos, priced):
        return None
    whole = key_at(toks, pos + 1) in WHOLE
    return _rate(sale_unit(key_at(toks, pos + 1 + whole)), pos + 2 + whole) if marked or whole else None


# In this order: the first rule that decides gives the rate.
_RATE_RULES = (_whole_set, _unit_after_per, _unit_after_money, _one_piece, _one_after_price_mark,
               _unit_after_price_mark)


def each_after(toks: list[Token], pos: int) -> tuple[str | None, int]:
    """"350 each" (a piece), "1500 for the set", "800 for a pair": (unit or None, position after it)."""
    word = key_at(toks, pos)
    if word in word_lists()["each_word"]:
        return "piece", pos + 1
    if word not in word_lists()["for_word"]:
        return None, pos
    unit_pos = pos + 1 + (key_at(toks, pos + 1) in _ARTICLES)
    return _rate(tables().unit.get(key_at(toks, unit_pos)), unit_pos + 1) or (None, pos)


class UnitBefore(NamedTuple):
    """A unit of sale named before an amount: the unit, the first token of the phrase, and whether it is sure
    ("दर्जन के 600", "per meter 140") or needs a price mark after the amount ("darjan 80 ka")."""
    unit: str
    first: int
    strong: bool


def unit_before(toks: list[Token], first: int, used: list[bool]) -> UnitBefore | None:
    """The unit of sale named before the amount at token `first`: "दर्जन के 600" (strong), "per meter 140"
    (strong), "एक जोड़ी 550 की", "darjan 80 ka" (weak: a price mark must follow)."""
    strong = key_at(toks, first - 1) in tables().price_suffix  # "दर्जन के 600"
    unit_pos = first - 1 - strong
    if not _free_sale_unit(toks, unit_pos, used):
        return None
    return _phrase_of_unit(toks, unit_pos, strong)


def _free_sale_unit(toks: list[Token], pos: int, used: list[bool]) -> bool:
    """Is token `pos` a unit of sale no entity has used, unless as "one <unit>" ("एक जोड़ी 550 की")?"""
    if sale_unit(key_at(toks, pos)) is None:
        return False
    return not used[pos] or key_at(toks, pos - 1) in ONE


def _phrase_of_unit(toks: list[Token], unit_pos: int, strong: bool) -> UnitBefore | None:
    """The unit at `unit_pos` with what stands before it: "per", a price mark, "one", or another number (then it
    is a size's unit, not the price's: "5 by 3 fit 1100")."""
    unit, before = tables().unit[toks[unit_pos].key], key_at(toks, unit_pos - 1)
    if before in tables().per:
        return UnitBefore(unit, unit_pos - 1, True)  # "per meter 140"
    if before in tables().price_suffix:
        return UnitBefore(unit, unit_pos, True)  # "4 ka set 299"
    if not _number_word_or_digits(toks, unit_pos - 1):
        return UnitBefore(unit, unit_pos, strong)
    return UnitBefore(unit, unit_pos - 1, strong) if before in ONE else None  # "एक जोड़ी 550 की"


def _number_word_or_digits(toks: list[Token], pos: int) -> bool:
    """Digits, a number word or a multiplier at `pos`."""
    return kind_at(toks, pos) == "d" or key_at(toks, pos) in _number_words()


@lru_cache(maxsize=1)
def _number_words() -> frozenset[str]:
    """Number words and multipliers: "दो", "five", "सौ", "lakh"."""
    return frozenset(set(tables().cardinal) | set(tables().multiplier))
