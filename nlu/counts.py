"""Bare counts of what is on hand: "मटके 20 हैं", "अभी 3 हैं", "matke h 50", "40 available", "एक ही है",
"गिनती 12 कर दो", "update quantity to 8" (quantity {value, count, bare: true})."""
from functools import lru_cache

from .lexicon import tables
from .numbers import Num, tidy
from .price_words import field_before
from .spans import key_at, kind_at, mark_used, span, word_at
from .tokens import Token
from .word_lists import word_lists

_LARGEST_COUNT = 100_000  # more than a lakh on hand is no count of a maker's stock: a price or a phone number
_STOCK_REACH = 5  # a stock word within five tokens after the number: "20 मटके और हैं"
_HI = ("\u0939\u093f", "hi")  # ही after the normaliser's vowel fold: "एक ही है" (only one)


def bare_counts(toks: list[Token], rest: list[Num], used: list[bool],
                priced: bool) -> tuple[list[dict], list[Num]]:
    """The numbers left over that are counts (their tokens become used), and the numbers still left. A number and a
    stock word alone ("500 है") stay a number: that is as often a price. `priced`: the message has a price, so a
    number first and then the product is a count too ("5 woollen shawls, grey, Rs 1800 each")."""
    counts, left = [], []
    for num in rest:
        if not _bare_count(toks, num, priced):
            left.append(num)
            continue
        counts.append(span("quantity", tidy(num.value), toks, num.first, num.after, count=tidy(num.value), bare=True))
        mark_used(used, num.first, num.after)
    return counts, left


def _bare_count(toks: list[Token], num: Num, priced: bool) -> bool:
    """Is `num` a count: a whole number in range, not inside something, named by a quantity field word or
    standing by a stock word or the product?"""
    if not _countable(toks, num):
        return False
    field = field_before(toks, num.first)
    if field is not None:
        return field == "quantity"  # "गिनती 12 कर दो"; after a price word it is a price
    return any(rule(toks, num, priced) for rule in _COUNT_RULES)


def _countable(toks: list[Token], num: Num) -> bool:
    """A whole number from 1 to a lakh, not what is inside something ("andar 7 katori hain")."""
    inside = key_at(toks, num.first - 1) in word_lists()["inside_word"]
    return num.value == int(num.value) and 1 <= num.value <= _LARGEST_COUNT and not inside


def _stock_word_after(toks: list[Token], num: Num, priced: bool) -> bool:
    """"मटके 20 हैं", "40 available", "एक ही है": a stock word soon after the number ("500 है" alone stays a
    number)."""
    pos = _stock_word_from(toks, num.after)
    if pos is None:
        return False
    return not _alone_with(toks, num, pos) or key_at(toks, num.after) in _HI


def _stock_word_from(toks: list[Token], first: int) -> int | None:
    """The position of a stock word among the five tokens from `first`, before anything that ends the search."""
    for pos in range(first, min(len(toks), first + _STOCK_REACH)):
        if _ends_search(toks[pos]):
            return None
        if toks[pos].key in word_lists()["stock_word"]:
            return pos
    return None


def _ends_search(token: Token) -> bool:
    """Digits, a word that counts no stock ("din", "ka", "number") or a symbol other than "-"."""
    return token.kind == "d" or token.key in word_lists()["not_a_count"] or token.kind == "p" and token.key != "-"


def _alone_with(toks: list[Token], num: Num, pos: int) -> bool:
    """Are the number and the stock word right after it at `pos` the whole message ("500 है")?"""
    words = sum(token.kind != "p" for token in toks)
    return words <= (num.after - num.first) + (pos - num.after + 1) and pos == num.after


def _product_after(toks: list[Token], num: Num, priced: bool) -> bool:
    """In a message with a price, the first word a number and then the product: "5 woollen shawls, Rs 1800 each"."""
    if not priced or num.first != _first_word(toks):
        return False
    word = word_at(toks, num.after)
    return word not in _no_product() and word in _product_starts()


@lru_cache(maxsize=1)
def _no_product() -> frozenset[str]:
    """Units and the words that count no stock: what follows a number that is no product."""
    return frozenset(set(tables().unit) | word_lists()["not_a_count"])


@lru_cache(maxsize=1)
def _product_starts() -> frozenset[str]:
    """First words of products, materials and colours, and colour modifiers."""
    return frozenset(tables().lexicon_first | set(tables().modifier))


def _first_word(toks: list[Token]) -> int:
    """The position of the first token that is no symbol (there is one: the number's)."""
    return next(pos for pos, token in enumerate(toks) if token.kind != "p")


def _stock_word_before(toks: list[Token], num: Num, priced: bool) -> bool:
    """"matke h 50", "मूढ़े सैं बीस,": a word, a stock word, then the number at the end of a phrase."""
    stock, thing = word_lists()["stock_word"], word_at(toks, num.first - 2)
    if key_at(toks, num.first - 1) not in stock or thing is None or thing in stock:
        return False
    return kind_at(toks, num.after) in (None, "p")


# Any of these makes a number a count, tried in this order.
_COUNT_RULES = (_stock_word_after, _product_after, _stock_word_before)
