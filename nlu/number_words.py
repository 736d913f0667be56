"""Whole numbers in words, Indian style (lakh, crore), to read amounts back: 1250 -> "एक हज़ार दो सौ पचास"."""
from typing import Callable, NamedTuple

from .lexicon import tables

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


class _Language(NamedTuple):
    """How one language says a number: the word for minus, its large units biggest first, and 0..99."""
    minus: str
    scales: tuple[tuple[int, str], ...]
    below_hundred: Callable[[int], str]


def _hindi_below_hundred(number: int) -> str:
    """0..99 in Hindi: each has its own word (numbers.yml)."""
    return tables().hindi_word[number]


def _english_below_hundred(number: int) -> str:
    """0..99 in English: "seven", "seventeen", "seventy", "seventy seven"."""
    if number < 20:
        return _ONES[number]
    tens, ones = divmod(number, 10)
    return _TENS[tens] + (" " + _ONES[ones] if ones else "")


_HINDI = _Language("माइनस ", ((10**9, "अरब"), (10**7, "करोड\u093c"), (10**5, "लाख"), (1000, "हज\u093cार"), (100, "सौ")),
                   _hindi_below_hundred)
_ENGLISH = _Language("minus ", ((10**7, "crore"), (10**5, "lakh"), (1000, "thousand"), (100, "hundred")),
                     _english_below_hundred)


def _in_words(number: int, language: _Language) -> str:
    """`number` said in `language`: how many of each scale ("two lakh"), then what is left under a hundred."""
    if number < 0:
        return language.minus + _in_words(-number, language)
    if number < 100:
        return language.below_hundred(number)
    parts = []
    for scale, name in language.scales:
        count, number = divmod(number, scale)
        if count:
            parts.append(f"{_in_words(count, language)} {name}")
    return " ".join(parts + ([language.below_hundred(number)] if number else []))


def hindi_words(number: int) -> str:
    """A whole number in Hindi words: 1250 -> "एक हज़ार दो सौ पचास"."""
    return _in_words(int(number), _HINDI)


def english_words(number: int) -> str:
    """A whole number in Indian English words: 120000 -> "one lakh twenty thousand"."""
    return _in_words(int(number), _ENGLISH)
