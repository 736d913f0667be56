"""Tokenizer: digits, words and single symbols, with keys and original offsets."""
import re
from typing import NamedTuple

from .normalise import key, normalise

_TOKEN = re.compile(
    r"(?P<digits>\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # digits, maybe grouped
    r"|(?P<devanagari>[\u0900-\u0963\u0971-\u097f]+)"            # Devanagari word
    r"|(?P<roman>[^\W\d_\u0900-\u097f]+)"                        # other letters (Roman)
    r"|(?P<symbol>\S)")                                          # any other symbol
_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?$")    # 1,20,000
_WESTERN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?$")          # 120,000
_DIGITS_OR_COMMA = re.compile(r"\d+(?:\.\d+)?|,")


class Token(NamedTuple):
    """A word, number or symbol: its key, kind (d/w/p) and span in the original text."""
    key: str
    kind: str
    start: int
    end: int
    raw: str


def words_of(tokens: list[Token]) -> list[Token]:
    """The tokens that are words or numbers: no symbols."""
    return [t for t in tokens if t.kind != "p"]


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens whose start/end index the original string."""
    folded, origin = normalise(text)
    tokens = []
    for found in _TOKEN.finditer(folded):
        tokens += _tokens_of(found, origin)
    return tokens


def _tokens_of(found: re.Match, origin: list[int]) -> list[Token]:
    """The token (or, for badly grouped digits, tokens) of one match; `origin` maps folded to original offsets."""
    text, kind = found.group(), found.lastgroup
    start, end = origin[found.start()], origin[found.end() - 1] + 1
    if kind == "digits":
        return _digit_tokens(text, found.start(), origin)
    if kind == "symbol":
        return [Token(text, "p", start, end, text)]
    return [Token(key(text), "w", start, end, text)]


def _digit_tokens(digits: str, at: int, origin: list[int]) -> list[Token]:
    """A number ("1,20,000" is 120000); badly grouped digits ("10,20") are separate numbers and commas."""
    if _badly_grouped(digits):
        return [_digit_part(part, at, origin) for part in _DIGITS_OR_COMMA.finditer(digits)]
    return [Token(digits.replace(",", ""), "d", origin[at], origin[at + len(digits) - 1] + 1, digits)]


def _badly_grouped(digits: str) -> bool:
    """Commas that group digits neither the Indian nor the Western way."""
    return "," in digits and not (_INDIAN.match(digits) or _WESTERN.match(digits))


def _digit_part(part: re.Match, at: int, origin: list[int]) -> Token:
    """One number or comma of badly grouped digits."""
    kind = "p" if part.group() == "," else "d"
    return Token(part.group(), kind, origin[at + part.start()], origin[at + part.end() - 1] + 1, part.group())

