"""Listing field words near a number: "कीमत 900" and "450 ka rate" are prices, "गिनती 12 कर दो" a count."""
from functools import lru_cache

from .lexicon import tables
from .tokens import Token
from .word_lists import word_lists

SMALLEST_BARE_PRICE = 10  # with no rupee sign or word, "5 ka" is a count or a listing number, "50 ka" a price
_FIELD_REACH = 6  # how many tokens back a field word still names the number: "कीमत गलत लिखी सै, 1300 कर"
_PRICE_WORD_REACH = 3  # how many tokens after an amount a price word may stand: "1001 shagun wala rate"
_AMOUNT_REACH = 3  # how many tokens after that price word an amount makes it that amount's price word
_SENTENCE_ENDS = ("।", ".", "?", "!")
_STOP = "stop"  # what _field_word says of a token that ends the search


@lru_cache(maxsize=1)
def price_words() -> frozenset[str]:
    """कीमत, दाम, price, rate, MRP: the price field's words and money.yml's price words."""
    return frozenset(tables().price_word | word_lists()["price_word"])


def field_before(toks: list[Token], pos: int) -> str | None:
    """The listing field ("price" or "quantity") a word a few tokens before token `pos` names, with no number,
    sentence end or other field word between: "कीमत गलत लिखी सै, 1300 कर", "update quantity to 8"."""
    for before in range(pos - 1, max(pos - _FIELD_REACH, 0) - 1, -1):
        field = _field_word(toks[before])
        if field is not None:
            return None if field == _STOP else field
    return None


def _field_word(token: Token) -> str | None:
    """"price" or "quantity" for a word naming that field, "stop" for a token that ends the search, else None."""
    if token.kind == "d" or token.key in _SENTENCE_ENDS or token.key in tables().cardinal:
        return _STOP
    if token.key in price_words():
        return "price"
    field = tables().field.get(token.key)
    return field if field in (None, "quantity") else _STOP


def price_word_after(toks: list[Token], pos: int) -> bool:
    """A price word within three words from token `pos` on, with no other amount after it ("2 की कीमत 900
    करो" is listing 2's price, not a price of 2)."""
    for after in range(pos, min(len(toks), pos + _PRICE_WORD_REACH)):
        if not _plain_word(toks[after]):
            return False
        if toks[after].key in price_words():
            return not any(_number_token(token) for token in toks[after + 1:after + 1 + _AMOUNT_REACH])
    return False


def _plain_word(token: Token) -> bool:
    """A word that is no number word and no unit."""
    return token.kind == "w" and token.key not in tables().cardinal and token.key not in tables().unit


def _number_token(token: Token) -> bool:
    """Digits or a number word."""
    return token.kind == "d" or token.key in tables().cardinal
