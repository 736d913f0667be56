"""Short typos of product and material words ("kpas" for kapas, "mtka" for matka): one vowel left out (the
usual slip when Hindi is typed in Roman letters, or a matra missed in Devanagari), the same first letter, and only
when every lexicon word that close means the same thing. Nothing else is corrected in short words: a changed or
missing consonant reaches real words ("dadi" is no dari, "rahi" no rakhi). Longer words: lexicon.correct."""
import re
from functools import lru_cache

from .word_tables import MIN_FUZZY_LENGTH, tables

SHORTEST = 4  # letters of the shortest word corrected
_KINDS = {"product", "material"}  # what a short word is corrected to; colours and districts are too close together
_ONE_SCRIPT = re.compile(r"[a-z]+|[\u0900-\u097f]+")
_CORRECTED_WORDS_KEPT = 20000
_VOWELS = set("aeiou") | {chr(code) for code in range(0x093E, 0x094D)} | {chr(code) for code in range(0x0905, 0x0915)}


@lru_cache(maxsize=1)
def _targets() -> dict[str, tuple]:
    """{word: what it names} for the one-word product and material names of SHORTEST letters or more."""
    lexicon = tables().lexicon
    return {phrase[0]: tuple(sorted(hit.items())) for phrase, hit in lexicon.items()
            if len(phrase) == 1 and len(phrase[0]) >= SHORTEST and _KINDS & set(hit)}


def _may_be_short_typo(word_key: str) -> bool:
    """An unknown word in one script, too short for lexicon.correct."""
    short = SHORTEST <= len(word_key) < MIN_FUZZY_LENGTH
    return short and word_key not in tables().known and bool(_ONE_SCRIPT.fullmatch(word_key))


@lru_cache(maxsize=_CORRECTED_WORDS_KEPT)
def short_typo(word_key: str) -> str | None:
    """The product or material word `word_key` is a typo of, when it is unambiguous; else None."""
    if not _may_be_short_typo(word_key):
        return None
    from rapidfuzz import process  # imported on the first unknown word: most messages need no correction
    from rapidfuzz.distance import Levenshtein
    close = process.extract(word_key, list(_targets()), scorer=Levenshtein.distance, score_cutoff=1, limit=None)
    words = [word for word, _, _ in close if word[0] == word_key[0] and _a_vowel_more(word_key, word)]
    meanings = {_targets()[word] for word in words}
    return words[0] if len(meanings) == 1 else None


def _a_vowel_more(word: str, target: str) -> bool:
    """`target` is `word` with one vowel (or matra) put in."""
    if len(target) != len(word) + 1:
        return False
    at = next((i for i, (a, b) in enumerate(zip(word, target)) if a != b), len(word))
    return target[at] in _VOWELS and target[:at] + target[at + 1:] == word
