"""Reading amounts back to the artisan: 1250 -> "₹1,250 (एक हज़ार दो सौ पचास रुपये)"."""
from typing import Callable, NamedTuple

from .number_words import english_words, hindi_words


class _RupeeWords(NamedTuple):
    """How one language says an amount: numbers in words, rupee (one, more) and paise."""
    number: Callable[[int], str]
    one_rupee: str
    rupees: str
    paise: str


_HINDI = _RupeeWords(hindi_words, "रुपया", "रुपये", "पैसे")
_BY_LANGUAGE = {"en": _RupeeWords(english_words, "rupee", "rupees", "paise")}  # any other language: Hindi


def indian_grouping(number: int) -> str:
    """1250 -> "1,250"; 120000 -> "1,20,000": the last three digits, then pairs."""
    digits = str(abs(int(number)))
    head, last_three = digits[:-3], digits[-3:]
    pairs = [head[max(0, end - 2):end] for end in range(len(head), 0, -2)]
    return ("-" if number < 0 else "") + ",".join(pairs[::-1] + [last_three])


def _in_words(rupees: int, paise: int, words: _RupeeWords) -> str:
    """"एक हज़ार दो सौ पचास रुपये", "one rupee fifty paise"."""
    said = f"{words.number(rupees)} {words.one_rupee if rupees == 1 else words.rupees}"
    return said + (f" {words.number(paise)} {words.paise}" if paise else "")


def say_amount(amount: float, lang: str = "hi") -> str:
    """An amount in rupees as figures and words, for confirmation (English for lang "en", else Hindi)."""
    rupees, paise = divmod(abs(round(float(amount) * 100)), 100)
    figure = "₹" + indian_grouping(rupees) + (f".{paise:02d}" if paise else "")
    return f"{figure} ({_in_words(rupees, paise, _BY_LANGUAGE.get(lang, _HINDI))})"
