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
_STOP = "stop"  # a token that ends the search for a field word


@lru_cache(maxsize=1)
def price_words() -> frozenset[str]:
    """कीमत, दाम, price, rate, MRP: the price field's words and money.yml's price words."""
    return frozenset(tables().price_word | word_lists()["price_word"])


@lru_cache(maxsize=1)
def _field_of_word() -> dict[str, str]:
    """What a word says on the way back from a number: "price", "quantity", or "stop" for a number word, a
    sentence end or another field's word (later entries win)."""
    fields = {word: "quantity" if field == "quantity" else _STOP for word, field in tables().field.items()}
    return fields | dict.fromkeys(price_words(), "price") | dict.fromkeys([*_SENTENCE_ENDS, *tables().cardinal], _STOP)


def field_before(toks: list[Token], pos: int) -> str | None:
    """The listing field ("price" or "quantity") a word a few tokens before token `pos` names, with no number,
    sentence end or other field word between: "कीमत गलत लिखी सै, 1300 कर", "update quantity to 8"."""
    for before in range(pos - 1, max(pos - _FIELD_REACH, 0) - 1, -1):
        field = _field_of(toks[before])
        if field is not None:
            return None if field == _STOP else field
    return None


def _field_of(token: Token) -> str | None:
    """What one token says on the way back from a number (digits end the search)."""
    return _STOP if token.kind == "d" else _field_of_word().get(token.key)


def price_word_after(toks: list[Token], pos: int) -> bool:
    """A price word within three words from token `pos` on, with no other amount after it ("2 की कीमत 900
    करो" is listing 2's price, not a price of 2)."""
    for after in range(pos, min(len(toks), pos + _PRICE_WORD_REACH)):
        if not _plain_word(toks[after]):
            return False
        if toks[after].key in price_words():
            return not _amount_from(toks, after + 1)
    return False


def _amount_from(toks: list[Token], pos: int) -> bool:
    """Digits or a number word among the three tokens from `pos`."""
    return any(token.kind == "d" or token.key in tables().cardinal for token in toks[pos:pos + _AMOUNT_REACH])


def _plain_word(token: Token) -> bool:
    """A word that is no number word and no unit."""
    return token.kind == "w" and token.key not in _numbers_and_units()


@lru_cache(maxsize=1)
def _numbers_and_units() -> frozenset[str]:
    """Number words and units."""
    return frozenset(set(tables().cardinal) | set(tables().unit))
