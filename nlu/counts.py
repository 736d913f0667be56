"""Bare counts of what is on hand: "मटके 20 हैं", "अभी 3 हैं", "matke h 50", "40 available", "एक ही है",
"गिनती 12 कर दो", "update quantity to 8" (quantity {value, count, bare: true})."""
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
    """Is `num` a count: a whole number in range, not inside something ("andar 7 katori hain"), named by a quantity
    field word or standing by a stock word or the product?"""
    if not _countable(num) or key_at(toks, num.first - 1) in word_lists()["inside_word"]:
        return False
    field = field_before(toks, num.first)
    if field is not None:
        return field == "quantity"  # "गिनती 12 कर दो"; after a price word it is a price
    return _stock_word_after(toks, num) or _product_after(toks, num, priced) or _stock_word_before(toks, num)


def _countable(num: Num) -> bool:
    """A whole number from 1 to a lakh."""
    return num.value == int(num.value) and 1 <= num.value <= _LARGEST_COUNT


def _stock_word_after(toks: list[Token], num: Num) -> bool:
    """"मटके 20 हैं", "40 available", "एक ही है": a stock word soon after the number, before any digits, symbol or
    word that is no count ("500 है" alone stays a number)."""
    stock, stop = word_lists()["stock_word"], word_lists()["not_a_count"]
    for pos in range(num.after, min(len(toks), num.after + _STOCK_REACH)):
        token = toks[pos]
        if token.kind == "d" or token.key in stop or token.kind == "p" and token.key != "-":
            return False
        if token.key in stock:
            return not _alone_with(toks, num, pos) or key_at(toks, num.after) in _HI
    return False


def _alone_with(toks: list[Token], num: Num, pos: int) -> bool:
    """Are the number and the stock word right after it at `pos` the whole message ("500 है")?"""
    words = sum(token.kind != "p" for token in toks)
    return words <= (num.after - num.first) + (pos - num.after + 1) and pos == num.after


def _product_after(toks: list[Token], num: Num, priced: bool) -> bool:
    """In a message with a price, the first word a number and then the product: "5 woollen shawls, Rs 1800 each"."""
    if not priced or num.first != _first_word(toks):
        return False
    word = word_at(toks, num.after)
    if word in tables().unit or word in word_lists()["not_a_count"]:
        return False
    return word in tables().lexicon_first or word in tables().modifier


def _first_word(toks: list[Token]) -> int:
    """The position of the first token that is no symbol."""
    return next(pos for pos, token in enumerate(toks) if token.kind != "p")


def _stock_word_before(toks: list[Token], num: Num) -> bool:
    """"matke h 50", "मूढ़े सैं बीस,": a word, a stock word, then the number at the end of a phrase."""
    stock, thing = word_lists()["stock_word"], word_at(toks, num.first - 2)
    if key_at(toks, num.first - 1) not in stock or thing is None or thing in stock:
        return False
    return kind_at(toks, num.after) in (None, "p")
