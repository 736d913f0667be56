"""Tokenizer: digits, words and single symbols, with keys and original offsets."""
import re
from typing import NamedTuple

from .normalise import key, normalise

_TOKEN = re.compile(
    r"(\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)"      # digits, maybe grouped
    r"|([\u0900-\u0963\u0971-\u097f]+)"                    # Devanagari word
    r"|([^\W\d_\u0900-\u097f]+)"                           # other letters (Roman)
    r"|(\S)")                                              # any other symbol
_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?$")
_WESTERN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


class Token(NamedTuple):
    """A word, number or symbol: its key, kind (d/w/p) and span in the original text."""
    key: str
    kind: str
    start: int
    end: int
    raw: str


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens whose start/end index the original string."""
    norm, pos = normalise(text)
    toks = []
    for m in _TOKEN.finditer(norm):
        s, e = m.span()
        if m.group(1):
            digits = m.group(1)
            if "," in digits and not (_INDIAN.match(digits) or _WESTERN.match(digits)):
                _split_commas(digits, s, pos, toks)
                continue
            toks.append(Token(digits.replace(",", ""), "d", pos[s], pos[e - 1] + 1, digits))
        elif m.group(4):
            toks.append(Token(m.group(4), "p", pos[s], pos[e - 1] + 1, m.group(4)))
        else:
            w = m.group(0)
            toks.append(Token(key(w), "w", pos[s], pos[e - 1] + 1, w))
    return toks


def _split_commas(digits: str, s: int, pos: list[int], toks: list[Token]) -> None:
    """Badly grouped digits ("10,20") are separate numbers."""
    for part in re.finditer(r"\d+(?:\.\d+)?|,", digits):
        a, b = s + part.start(), s + part.end()
        kind = "p" if part.group() == "," else "d"
        toks.append(Token(part.group(), kind, pos[a], pos[b - 1] + 1, part.group()))
