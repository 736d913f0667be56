"""Values the flow must read back before saving ("uncertain": true): values taken back ("1200 नहीं, 1500",
"6x4 nahi 7x4", "pehle 800 bola tha, 700 rakh lo"), someone else's prices ("मार्केट में 2000 की, हम 1500 में
देंगे"), and amounts read from words or doubtful spellings ("gyarah so", "12 सौ", "1.5k", "साडे")."""
from typing import NamedTuple

from .numbers import Num, tidy
from .price_words import SMALLEST_BARE_PRICE
from .spans import key_at, mark_used, said_before, span, token_ending_at, token_starting_at
from .tokens import Token
from .word_lists import word_lists

_VALUES = ("amount_of_money", "dimensions", "quantity")  # entities one may take back; numbers too
_BEFORE_REACH = 2  # "pehle 800": a "before" word just before the value
_MARKET_REACH = 3  # "market mein 2000": a market word a few tokens before the price


class _Value(NamedTuple):
    """An entity or a left-over number: its kind ("number" for a number), its tokens, and the thing itself."""
    kind: str
    first: int
    stop: int
    thing: dict | Num


def take_back_replaced(toks: list[Token], out: list[dict], rest: list[Num],
                       used: list[bool]) -> tuple[list[dict], list[Num]]:
    """Drop the values taken back and someone else's prices beside the artisan's own: the later (or the artisan's)
    value stands, and every amount left is marked uncertain. Returns the entities and the numbers left."""
    values = _values(toks, out, rest)
    dropped = {id(value.thing) for value in values if _taken_back(toks, value, values)}
    out = out + _own_prices_for_market_prices(toks, values, rest, dropped)
    _mark_market_prices(toks, values)
    if not dropped:
        return out, rest
    _mark_used(values, dropped, used)
    return _all_amounts_uncertain(_without(out, dropped)), _without(rest, dropped)


def _values(toks: list[Token], out: list[dict], rest: list[Num]) -> list[_Value]:
    """The amounts, sizes, quantities and left-over numbers, in the order they stand."""
    values = _entity_values(toks, out) + [_Value("number", num.first, num.after, num) for num in rest]
    return sorted(values, key=_first_token)


def _entity_values(toks: list[Token], out: list[dict]) -> list[_Value]:
    """The amounts, sizes and quantities among the entities, with their tokens."""
    first_of, last_of = token_starting_at(toks), token_ending_at(toks)
    return [_Value(entity["entity"], first_of[entity["start"]], last_of[entity["end"]] + 1, entity)
            for entity in out if _value_on_token_bounds(entity, first_of, last_of)]


def _value_on_token_bounds(entity: dict, first_of: dict[int, int], last_of: dict[int, int]) -> bool:
    """Is the entity a value that starts and ends where tokens do?"""
    return entity["entity"] in _VALUES and entity["start"] in first_of and entity["end"] in last_of


def _first_token(value: _Value) -> int:
    """Sort key: where the value starts."""
    return value.first


def _taken_back(toks: list[Token], value: _Value, values: list[_Value]) -> bool:
    """With another value of its kind in the message: is this one a market price, or taken back by a negation
    after it or a "before" word just before it, with another of its kind later?"""
    others = _others_of_kind(value, values)
    if not others:
        return False
    return _market_price(toks, value) or _later_one(value, others) and _retracted(toks, value)


def _others_of_kind(value: _Value, values: list[_Value]) -> list[_Value]:
    """The other values of the same kind as `value`."""
    return [other for other in values if other.kind == value.kind and other.thing is not value.thing]


def _later_one(value: _Value, others: list[_Value]) -> bool:
    """Does one of `others` stand after `value`?"""
    return any(other.first > value.first for other in others)


def _retracted(toks: list[Token], value: _Value) -> bool:
    """"1200 नहीं", "pehle 800": a negation right after the value or a "before" word just before it."""
    return key_at(toks, value.stop) in word_lists()["negation"] or said_before(
        toks, value.first, word_lists()["before_word"], _BEFORE_REACH)


def _market_price(toks: list[Token], value: _Value) -> bool:
    """An amount with a market word before it: someone else's price."""
    return value.kind == "amount_of_money" and said_before(toks, value.first, word_lists()["market_word"],
                                                           _MARKET_REACH)


def _own_prices_for_market_prices(toks: list[Token], values: list[_Value], rest: list[Num],
                                  dropped: set[int]) -> list[dict]:
    """"shop pe 1500 ka hai, aapke yaha 1200 rakh do": the artisan's own price (the last left-over number after a
    market price that can be a price) replaces the market price. Returns the own prices as amounts; the market
    prices and the numbers read as own prices go into `dropped`."""
    own_prices = []
    for market in _market_prices_standing(toks, values, dropped):
        own = _last_price_after(rest, market.first)
        if own is not None:
            dropped.update((id(market.thing), id(own)))
            own_prices.append(span("amount_of_money", tidy(own.value), toks, own.first, own.after, unit="INR"))
    return own_prices


def _market_prices_standing(toks: list[Token], values: list[_Value], dropped: set[int]) -> list[_Value]:
    """The market prices not taken back."""
    return [value for value in values if id(value.thing) not in dropped and _market_price(toks, value)]


def _last_price_after(rest: list[Num], first: int) -> Num | None:
    """The last number after token `first` that can be a price, or None."""
    return next((num for num in reversed(rest) if num.first > first and num.value >= SMALLEST_BARE_PRICE), None)


def _mark_market_prices(toks: list[Token], values: list[_Value]) -> None:
    """Someone else's price, and no other: the flow reads it back."""
    for value in values:
        if _market_price(toks, value):
            value.thing["uncertain"] = True


def _mark_used(values: list[_Value], dropped: set[int], used: list[bool]) -> None:
    """A value taken back is a value still: the words around it are not a command."""
    for value in values:
        if id(value.thing) in dropped:
            mark_used(used, value.first, value.stop)


def _without(things: list, dropped: set[int]) -> list:
    """The entities or numbers that were not dropped."""
    return [thing for thing in things if id(thing) not in dropped]


def _all_amounts_uncertain(out: list[dict]) -> list[dict]:
    """Every amount in `out` marked uncertain (a value was taken back: the flow reads them all back)."""
    for entity in out:
        if entity["entity"] == "amount_of_money":
            entity["uncertain"] = True
    return out


def mark_doubtful_amounts(toks: list[Token], out: list[dict], nums: list[Num]) -> None:
    """A price read from words ("gyarah so", "साडे पांच हजार", "dedh hazaar"), from digits with a word multiplier
    ("12 सौ", "1.5k") or from a doubtful spelling is marked uncertain: read it back to the artisan."""
    first_of = token_starting_at(toks)
    for entity in filter(_amount_not_yet_uncertain, out):
        if _doubtful(toks, _first_number_in(toks, entity, first_of[entity["start"]], nums)):
            entity["uncertain"] = True


def _amount_not_yet_uncertain(entity: dict) -> bool:
    """An amount not marked uncertain yet."""
    return entity["entity"] == "amount_of_money" and not entity.get("uncertain")


def _first_number_in(toks: list[Token], entity: dict, first: int, nums: list[Num]) -> Num | None:
    """The first number within the entity's span, or None."""
    return next((num for num in nums if first <= num.first and toks[num.after - 1].end <= entity["end"]), None)


def _doubtful(toks: list[Token], num: Num | None) -> bool:
    """Is the number written with a word or a doubtful spelling?"""
    doubtful = word_lists()["doubtful_number"]
    return num is not None and any(token.kind == "w" or token.key in doubtful for token in toks[num.first:num.after])
