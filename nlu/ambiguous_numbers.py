"""Is a lone "do" or "ek" a number? "do" is also the verb give (paise do), "ek" also the article a (ek baat)."""
from functools import lru_cache

from .lexicon import tables
from .spans import key_at
from .tokens import Token
from .word_lists import word_lists

TWO = {"दो", "do"}
_HI = {"\u0939\u093f", "hi"}  # ही after the normaliser's vowel fold: "एक ही है" (only one)
_SYMBOLS_AFTER_NUMBERS = ("x", "*", "/", "₹")  # "do x 4", "ek / do": other symbols end a phrase


@lru_cache(maxsize=1)
def _ambiguous_words() -> frozenset[str]:
    """Number words that may be something else: numbers.yml's ambiguous_number ("ek") and "do"."""
    return frozenset(tables().ambiguous | TWO)


@lru_cache(maxsize=1)
def _measure_words() -> frozenset[str]:
    """Words that make the number before them a number: units, rupees, paise, by, lakh, per, counted nouns."""
    words = tables()
    return frozenset(set(words.unit) | words.currency | words.paise | words.by | set(words.multiplier) | words.per
                     | word_lists()["counted_noun"])


@lru_cache(maxsize=1)
def _words_after_two() -> frozenset[str]:
    """Words after which "do" is two: products and colour modifiers ("do razai"), sold and delete words."""
    words = tables()
    return frozenset(words.lexicon_first | set(words.modifier) | words.words["sold_word"] | words.words["delete_verb"])


def means_a_number(toks: list[Token], pos: int) -> bool:
    """Is the number word at `pos`, alone, meant as a number? ("do" may be "give", "ek" may be "a")."""
    raw = toks[pos].raw.lower()
    if raw not in _ambiguous_words():
        return True
    return _the_only_word(toks) or _something_follows(toks, pos) and _read_by_what_follows(toks, pos, raw)


def _the_only_word(toks: list[Token]) -> bool:
    """A message of one word ("do") answers a question: it is the number."""
    return sum(token.kind != "p" for token in toks) == 1


def _something_follows(toks: list[Token], pos: int) -> bool:
    """A word, digits or "x * / ₹" after it: a number word last in a phrase is no number ("paise do.")."""
    after = toks[pos + 1] if pos + 1 < len(toks) else None
    return after is not None and (after.kind != "p" or after.key in _SYMBOLS_AFTER_NUMBERS)


def _read_by_what_follows(toks: list[Token], pos: int, raw: str) -> bool:
    """Does the token after the ambiguous word make it a number?"""
    return _counts_something(toks, pos) or raw in TWO and _two_before_a_thing(toks, pos)


def _counts_something(toks: list[Token], pos: int) -> bool:
    """Digits or a measure word after it ("do metre", "ek rs", "do din"), or only one in stock ("एक ही है")."""
    after = toks[pos + 1]
    if after.kind == "d" or after.key in _measure_words():
        return True
    return after.key in _HI and key_at(toks, pos + 2) in word_lists()["stock_word"]


def _two_before_a_thing(toks: list[Token], pos: int) -> bool:
    """"do razai h", "do shawl", "do bik gaye"; but "दो सूती" is the dosuti weave."""
    after = toks[pos + 1]
    if after.key in word_lists()["not_after_two"]:
        return False
    if after.kind == "w" and key_at(toks, pos + 2) in word_lists()["stock_word"]:
        return True
    return after.key in _words_after_two()
