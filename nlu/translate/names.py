"""Names and places in natural Roman spelling ("गुरप्रीत कौर" -> "Gurpreet Kaur"), and a name's gender when its
last word tells it. Known spellings come from data/names.yml; other words are spelt by rule, with the inherent
vowel dropped where Hindi speakers drop it (कमला -> Kamla, not Kamala)."""
from __future__ import annotations

from functools import lru_cache

from .lexicon import data

VIRAMA, ANUSVARA, CHANDRABINDU, VISARGA, NUKTA = "\u094d", "\u0902", "\u0901", "\u0903", "\u093c"
CONSONANTS = dict(zip(
    "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहळ",
    "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l v sh sh s h l".split()))
CONSONANTS.update({"\u0958": "q", "\u0959": "kh", "\u095a": "gh", "\u095b": "z", "\u095c": "r", "\u095d": "rh",
                   "\u095e": "f", "\u095f": "y"})
NUKTA_FORMS = {"ड": "r", "ढ": "rh", "ज": "z", "फ": "f", "क": "q", "ख": "kh", "ग": "gh"}
VOWEL_SIGNS = dict(zip("ािीुूृेैोौ", "a i ee u oo ri e ai o au".split()))
VOWELS = dict(zip("अआइईउऊऋएऐओऔ", "a a i ee u oo ri e ai o au".split()))
LABIALS = ("p", "b", "m")
SHORT = {"ee": "i", "oo": "u"}
SINGLE_SOUNDS = set(CONSONANTS.values()) | set(NUKTA_FORMS.values())


@lru_cache(maxsize=None)
def _table() -> dict:
    return data("names.yml")


def transliterate(name: str) -> str:
    """A name or place in Roman letters, each word with a capital: the usual spelling when the table knows the
    word, else by rule. Words already in Roman letters are only title-cased."""
    return " ".join(_word(word) for word in (name or "").split())


def _word(word: str) -> str:
    if word.isascii():
        return word[:1].upper() + word[1:].lower()
    known = _table()["spellings"].get(word)
    return known or _spelt(word).capitalize()


def gender(name: str) -> str | None:
    """"f" or "m" when the name's last word says it (Kaur, Devi ... / Singh, Kumar ...), else None."""
    words = transliterate(name).lower().split()
    if not words:
        return None
    table = _table()
    return "f" if words[-1] in table["feminine"] else "m" if words[-1] in table["masculine"] else None


def _syllables(word: str) -> list[list]:
    """The word as [consonants, vowel, nasal] syllables; vowel None is the inherent one, "" none at all."""
    units: list[list] = []
    for i, char in enumerate(word):
        nukta = word[i + 1:i + 2] == NUKTA
        if char in CONSONANTS:
            sound = NUKTA_FORMS.get(char, CONSONANTS[char]) if nukta else CONSONANTS[char]
            if units and units[-1][1] == "" and units[-1][0]:
                units[-1][0] += sound  # a cluster: the previous consonant had a virama
                units[-1][1] = None
            else:
                units.append([sound, None, ""])
        else:
            _mark(units, char)
    return units


def _mark(units: list[list], char: str) -> None:
    """A vowel, vowel sign or nasal mark, added to the syllables so far."""
    if char in VOWELS:
        units.append(["", VOWELS[char], ""])
    elif char in VOWEL_SIGNS and units:
        units[-1][1] = VOWEL_SIGNS[char]
    elif char == VIRAMA and units:
        units[-1][1] = ""
    elif char in (ANUSVARA, CHANDRABINDU) and units:
        units[-1][2] = "n"
    elif char == VISARGA and units:
        units[-1][2] = "h"


def _spelt(word: str) -> str:
    """Spell by rule: drop the inherent vowel at the end and between two voiced syllables, right to left."""
    units = _syllables(word)
    if len(units) > 1 and units[-1][1] is None and not _cluster(units[-1][0]):  # नरेंद्र: Narendra
        units[-1][1] = ""
    for i in range(len(units) - 2, 0, -1):
        if units[i][1] is None and units[i - 1][1] != "" and units[i + 1][1] not in ("",) and units[i][0]:
            units[i][1] = ""
    return "".join(_sound(units, i) for i in range(len(units)))


def _cluster(consonants: str) -> bool:
    """Two consonants or more ("dr", "ndr"), not one written with two letters ("kh", "chh")."""
    return len(consonants) > 1 and consonants not in SINGLE_SOUNDS


def _sound(units: list[list], i: int) -> str:
    """One syllable in letters. A long ī/ū is written "ee"/"oo" only in the word's closing syllable (Gurpreet,
    Anoop) and short elsewhere (Sunita, Devi)."""
    consonant, vowel, nasal = units[i]
    vowel = "a" if vowel is None else vowel
    closing = i == len(units) - 2 and units[-1][1] == ""
    if not closing:
        vowel = SHORT.get(vowel, vowel)
    following = units[i + 1][0][:1] if i + 1 < len(units) else ""
    if nasal == "n" and following in LABIALS:
        nasal = "m"
    return consonant + vowel + nasal
