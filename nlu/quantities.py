"""Quantities: "2 मीटर", "आधा किलो", "12 पीस", "2 जोड़ी", "do darjan"; and what they turn out to be in the
message: no quantity inside a price or a piece being made, cloth on hand, what a thing is made of."""
from functools import lru_cache
from itertools import takewhile

from .lexicon import tables
from .numbers import Num, tidy
from .price_words import field_before
from .reading import Found, Reading
from .spans import key_at, span, token_ending_at, token_starting_at
from .tokens import Token
from .units import DOZEN, LENGTH_UNITS, WEIGHT_UNITS, sale_unit, unit_at
from .word_lists import word_lists

_SETS = ("set", "sets")
_HOLDING = ("in", "में", "mein", "me", "of")  # "12 bangles in one set": what a set holds, not how many sets
_COUNTED_BY_DOZEN = ("pair", "set")  # "do darjan jodi": 24 pairs
_CONTENT_REACH = 4  # words after a weight that say what it is of: "4 kilo rui ki razai"


def quantity_at(reading: Reading, num: Num) -> Found | None:
    """"2 मीटर", "12 पीस", "ek set": `value` and `unit` (a dozen is 12 pieces); for units of sale also `per`, the
    unit it is counted in, and `count`, how many of it. A length is a size, unless it turns out to be on hand."""
    toks = reading.toks
    unit, stop = _unit_after(toks, num)
    if unit is None:
        return None
    if unit == "dozen":
        return _dozens(toks, num, stop)
    value = tidy(num.value)
    extra = {"unit": unit} if unit in LENGTH_UNITS else {"unit": unit, "per": unit, "count": value}
    return span("quantity", value, toks, num.first, stop, **extra), num.first, stop


def _unit_after(toks: list[Token], num: Num) -> tuple[str | None, int]:
    """The unit after the number, or "set" for "ek set", "do sets": (unit or None, position after it)."""
    unit, stop = unit_at(toks, num.after, num)
    if unit is None and _sets(toks, num):
        return "set", num.after + 1
    return unit, stop


def _sets(toks: list[Token], num: Num) -> bool:
    """"ek set", "do sets" in words (but "12 bangles in one set" is what a set holds)."""
    return not num.digits and key_at(toks, num.after) in _SETS and key_at(toks, num.first - 1) not in _HOLDING


def _dozens(toks: list[Token], num: Num, stop: int) -> Found:
    """"2 दर्जन": 24 pieces, per dozen, count 2; "do darjan jodi": 24 pairs, per pair, count 24."""
    pieces, dozens = tidy(num.value * DOZEN), tidy(num.value)
    counted = sale_unit(key_at(toks, stop))
    if counted in _COUNTED_BY_DOZEN:
        entity = span("quantity", pieces, toks, num.first, stop + 1, unit=counted, dozen=dozens, per=counted,
                      count=pieces)
        return entity, num.first, stop + 1
    entity = span("quantity", pieces, toks, num.first, stop, unit="piece", dozen=dozens, per="dozen", count=dozens)
    return entity, num.first, stop


def without_quantities_in_money(out: list[dict]) -> list[dict]:
    """"एक जोड़ी 550 की" is a price per pair: the "एक जोड़ी" inside it is no quantity."""
    money = _money_spans(out)
    return [entity for entity in out if not _quantity_inside(entity, money)]


def _money_spans(out: list[dict]) -> list[tuple[int, int]]:
    """(start, end) of each amount of money."""
    return [(entity["start"], entity["end"]) for entity in out if entity["entity"] == "amount_of_money"]


def _quantity_inside(entity: dict, money: list[tuple[int, int]]) -> bool:
    """Is `entity` a quantity within one of the `money` spans?"""
    return entity["entity"] == "quantity" and any(
        money_start <= entity["start"] and entity["end"] <= money_end for money_start, money_end in money)


def without_pieces_being_made(toks: list[Token], out: list[dict]) -> list[dict]:
    """"ek piece banane me 2 din", "to make one piece": one piece being made is no quantity."""
    first_of, last_of = token_starting_at(toks), token_ending_at(toks)
    return [entity for entity in out if not _piece_being_made(toks, entity, first_of, last_of)]


def _piece_being_made(toks: list[Token], entity: dict, first_of: dict[int, int], last_of: dict[int, int]) -> bool:
    """Is `entity` a quantity of one with a making word by it?"""
    return _one_piece(entity) and _being_made(toks, first_of[entity["start"]], last_of[entity["end"]])


def _one_piece(entity: dict) -> bool:
    """A quantity of one."""
    return entity["entity"] == "quantity" and entity.get("value") == 1


def _being_made(toks: list[Token], first: int, last: int) -> bool:
    """A making word right after or before tokens first..last, or before "a"/"one"/"to" before them."""
    if _making_word(key_at(toks, last + 1)) or _making_word(key_at(toks, first - 1)):
        return True
    making, before = word_lists()["making_word"], key_at(toks, first - 1)
    return key_at(toks, first - 2) in making and (before in ("a", "one") or before in making)  # "make a piece"


def _making_word(word: str | None) -> bool:
    """A making word other than "to" ("1 piece to Delhi" is no making)."""
    return word in word_lists()["making_word"] and word != "to"


def mark_stock_and_content(toks: list[Token], out: list[dict]) -> None:
    """Lengths on hand ("50 मीटर कपड़ा है": measure stock, with per and count) and weights a thing is made of
    ("4 kilo rui ki": measure content)."""
    first_of, last_of = token_starting_at(toks), token_ending_at(toks)
    _mark_stock(toks, _quantities_in(out, LENGTH_UNITS), first_of, last_of)
    _mark_content(toks, _quantities_in(out, WEIGHT_UNITS), last_of)


def _mark_stock(toks: list[Token], lengths: list[dict], first_of: dict[int, int], last_of: dict[int, int]) -> None:
    """Lengths on hand get measure "stock", and per and count like a unit of sale."""
    for entity in lengths:
        if _on_hand(toks, first_of[entity["start"]], last_of[entity["end"]]):
            entity.update(measure="stock", per=entity["unit"], count=entity["value"])


def _mark_content(toks: list[Token], weights: list[dict], last_of: dict[int, int]) -> None:
    """Weights of what a thing is made of get measure "content"."""
    for entity in weights:
        if _content(toks, last_of[entity["end"]]):
            entity["measure"] = "content"


def _quantities_in(out: list[dict], units) -> list[dict]:
    """The quantities in one of `units`."""
    return [entity for entity in out if entity["entity"] == "quantity" and entity.get("unit") in units]


def _on_hand(toks: list[Token], first: int, last: int) -> bool:
    """"50 मीटर कपड़ा है", "40 metres in stock", "30 मीटर का थान", "quantity 40 metre": a length on hand."""
    pos = last + 1 + (key_at(toks, last + 1) in tables().price_suffix)
    if key_at(toks, pos) in _stock_words_and_nouns():
        return True
    if key_at(toks, pos) == "in" and key_at(toks, pos + 1) in word_lists()["stock_word"]:
        return True
    return field_before(toks, first) == "quantity"


@lru_cache(maxsize=1)
def _stock_words_and_nouns() -> frozenset[str]:
    """"है", "available", "stock" and "कपड़ा", "थान": words that say cloth is on hand."""
    return frozenset(word_lists()["stock_word"] | word_lists()["stock_noun"])


def _content(toks: list[Token], last: int) -> bool:
    """"4 kilo rui ki": words follow the weight, and none of them says it is on hand."""
    following = [token.key for token in takewhile(_is_word, toks[last + 1:last + 1 + _CONTENT_REACH])]
    return bool(following) and word_lists()["stock_word"].isdisjoint(following)


def _is_word(token: Token) -> bool:
    """A word, not digits or a symbol."""
    return token.kind == "w"
