"""Whole numbers in words, Indian style (lakh, crore), to read amounts back: 1250 -> "एक हज़ार दो सौ पचास"."""
from typing import Callable, NamedTuple, Sequence

from .lexicon import tables

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# 0..99: "seven", "seventeen", "seventy", "seventy seven".
_ENGLISH_BELOW_HUNDRED = _ONES + [f"{tens} {ones}".removesuffix(" zero") for tens in _TENS for ones in _ONES[:10]]


class _Language(NamedTuple):
    """How one language says a number: the word for minus, its large units biggest first, and the words for
    0..99 (indexed by the number)."""
    minus: str
    scales: tuple[tuple[int, str], ...]
    below_hundred: Callable[[], Sequence[str] | dict[int, str]]


def _hindi_below_hundred() -> dict[int, str]:
    """0..99 in Hindi: each has its own word (numbers.yml)."""
    return tables().hindi_word


def _english_below_hundred() -> list[str]:
    """0..99 in English."""
    return _ENGLISH_BELOW_HUNDRED


_HINDI = _Language("माइनस ", ((10**9, "अरब"), (10**7, "करोड\u093c"), (10**5, "लाख"), (1000, "हज\u093cार"), (100, "सौ")),
                   _hindi_below_hundred)
_ENGLISH = _Language("minus ", ((10**7, "crore"), (10**5, "lakh"), (1000, "thousand"), (100, "hundred")),
                     _english_below_hundred)


def _in_words(number: int, language: _Language) -> str:
    """`number` said in `language`: how many of its largest scale ("two lakh"), then the rest in words."""
    if number < 0:
        return language.minus + _in_words(-number, language)
    if number < 100:
        return language.below_hundred()[number]
    scale, name = _largest_scale(number, language.scales)
    count, rest = divmod(number, scale)
    said = f"{_in_words(count, language)} {name}"
    return f"{said} {_in_words(rest, language)}" if rest else said


def _largest_scale(number: int, scales: tuple[tuple[int, str], ...]) -> tuple[int, str]:
    """The largest (scale, name) not above `number` (the scales run largest first, down to a hundred)."""
    return next(scale for scale in scales if scale[0] <= number)


def hindi_words(number: int) -> str:
    """A whole number in Hindi words: 1250 -> "एक हज़ार दो सौ पचास"."""
    return _in_words(int(number), _HINDI)


def english_words(number: int) -> str:
    """A whole number in Indian English words: 120000 -> "one lakh twenty thousand"."""
    return _in_words(int(number), _ENGLISH)
