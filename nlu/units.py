"""Units after a number ("2 मीटर", "6'", "5m") and units of sale ("set", "जोड़ी", "दर्जन")."""
from .lexicon import tables
from .numbers import Num
from .spans import key_at, touches_previous
from .tokens import Token

LENGTH_UNITS = {"metre", "centimetre", "foot", "inch", "yard"}  # a quantity in these is a size or cloth on hand
WEIGHT_UNITS = ("kilogram", "gram")
DOZEN = 12
ONE = {"एक", "ek", "1", "one"}
WHOLE = {"pura", "पुरा", "पूरा", "pora", "full", "whole", "complete", "poora"}  # "pura set": the set as a whole
# Too short or too common to name what a price is for ("m" may be metres or a typo, "'" a quote).
SHORT_UNITS = {"'", '"', "m", "g", "mt", "मी", "मि"}
_QUOTES = ("'", '"')


def unit_at(toks: list[Token], pos: int, num: Num) -> tuple[str | None, int]:
    """The unit at token `pos`, if it can belong to the number before it: (unit or None, position after it)."""
    word = key_at(toks, pos)
    if word not in tables().unit or _doubtful_unit(toks, pos, num):
        return None, pos
    return tables().unit[word], pos + 1


def _doubtful_unit(toks: list[Token], pos: int, num: Num) -> bool:
    """An ambiguous unit ("m", "'") counts only written onto the number, or after digits (but a spaced quote
    mark never does)."""
    word = toks[pos].key
    if word not in tables().ambiguous_unit:
        return False
    return not (touches_previous(toks, pos) or num.digits and word not in _QUOTES)


def sale_unit(word: str | None) -> str | None:
    """The unit of sale a word names ("set", "jodi", "darjan"), or None (also for the short forms above)."""
    return None if word in SHORT_UNITS else tables().unit.get(word)
