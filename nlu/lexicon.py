"""Lexicon entities: the products, materials, colours, crafts and districts a message names, typos corrected."""
import re
from functools import lru_cache

from .data_files import read
from .entities import span_entity
from .phrases import longest_phrases
from .short_typos import short_typo
from .tokens import Token
from .word_tables import MIN_FUZZY_LENGTH, tables

# read and tables live in data_files.py and word_tables.py; numbers.py and measures.py take them from here.
__all__ = ["NOT_LEXICON", "correct", "english", "lexicon_entities", "match_lexicon", "read", "tables"]

_LONGEST_PHRASE = 4  # words in the longest lexicon phrase looked for ("mor pankh ka pankha")
_DEVANAGARI = re.compile("[\u0900-\u097f]+")
# Words whose key folds onto a lexicon word but are something else: लूंगी (I will take) is no लुंगी.
NOT_LEXICON = frozenset({"लूंगी", "लूँगी", "लूगी", "दिया", "दिये", "दिए", "diya", "diye", "Diya", "Diye"})
_SKIPPED_INSIDE_PHRASE = "-."  # "रंग-बिरंगी": a hyphen or a dot does not break a lexicon phrase


def english(entity: str, value: str) -> str:
    """English value of a canonical lexicon entry."""
    return tables().english.get((entity, value), value)


def match_lexicon(keys: list[str], free: list[bool]) -> list[tuple[int, int, dict]]:
    """Longest lexicon phrases over free tokens: (first, end, {entity: value})."""
    return longest_phrases(keys, free, tables().lexicon, _LONGEST_PHRASE)


# --- typos: the closest lexicon word


# A larger edit distance would take too many real words for lexicon words; longer words allow one more edit.
_ONE_EDIT_BELOW = 9
_CORRECTED_WORDS_KEPT = 20000  # bounds the memory that corrections of odd words take in a long-running bot
# Endings of verb forms and particles (ते/ती/ता, ना/ने, -ें, -िए, -ेगा; Roman -iye, -ein, -enge...).
_VERB_ENDINGS = ("\u0947\u0902", "\u093f\u090f", "\u093f\u092f\u0947", "\u0907\u090f", "\u0947\u0917\u093e",
                 "\u0947\u0917\u093f", "\u0947\u0902\u0917\u0947", "\u0924\u0947", "\u0924\u093f", "\u0924\u093e",
                 "\u0928\u093e", "\u0928\u0947", "\u0928\u093f",
                 "iye", "ie", "ein", "en", "enge", "ega", "egi", "na", "ne", "ni", "te", "ti", "ta", "kar", "ke")


def correct(word_key: str) -> str:
    """A close lexicon word for an unknown long word (or a short product or material word), else the word."""
    if _may_be_a_typo(word_key):
        return _closest_lexicon_word(word_key)
    return short_typo(word_key) or word_key


def _may_be_a_typo(word_key: str) -> bool:
    """An unknown word long enough to correct, in one script (not a number or a mix)."""
    if word_key in tables().known or len(word_key) < MIN_FUZZY_LENGTH:
        return False
    return word_key.isalpha() or bool(_DEVANAGARI.fullmatch(word_key))


@lru_cache(maxsize=_CORRECTED_WORDS_KEPT)
def _closest_lexicon_word(word_key: str) -> str:
    """The lexicon word within one or two edits that starts with the same letter and is no verb form, else the word."""
    from rapidfuzz import process  # imported on the first unknown word: most messages need no correction
    from rapidfuzz.distance import Levenshtein
    limit = 1 if len(word_key) < _ONE_EDIT_BELOW else 2
    found = process.extractOne(word_key, tables().fuzzy_targets, scorer=Levenshtein.distance, score_cutoff=limit)
    return found[0] if found and _plausible_correction(word_key, found[0]) else word_key


def _plausible_correction(word: str, target: str) -> bool:
    """A typo keeps the first letter, and does not add a verb ending."""
    return target[0] == word[0] and not _verb_like(word, target)


def _verb_like(word: str, target: str) -> bool:
    """A word with a verb ending its lexicon neighbour lacks ("rakhein", "banate") is not a typo of it."""
    return any(word.endswith(ending) and not target.endswith(ending) for ending in _VERB_ENDINGS)


# --- entities


class _Words:
    """The tokens lexicon matching looks at: their indices, match keys and whether each is still free."""
    __slots__ = ("tokens", "index", "keys", "free")

    def __init__(self, tokens: list[Token], index: list[int], keys: list[str], free: list[bool]):
        self.tokens, self.index, self.keys, self.free = tokens, index, keys, free


def lexicon_entities(tokens: list[Token], used: list[bool], fuzzy: bool = True,
                     blocked: set[int] = frozenset()) -> list[dict]:
    """Products, materials, colours, crafts, districts; marks the tokens they use."""
    words = _lexicon_words(tokens, used, fuzzy, blocked)
    found = []
    for first, end, hit in match_lexicon(words.keys, words.free):
        found += _entities_of(words, first, end, _without_dye(words, end, hit), used)
        start, stop = words.index[first], words.index[end - 1] + 1
        used[start:stop] = [True] * (stop - start)
    return found


def _lexicon_words(tokens: list[Token], used: list[bool], fuzzy: bool, blocked: set[int]) -> _Words:
    """The words and symbols a lexicon phrase may hold (not "-" or "."), keyed and corrected, and which are free."""
    index = _phrase_tokens(tokens)
    keys = [_match_key(tokens[i], used[i], fuzzy) for i in index]
    return _Words(tokens, index, keys, [not used[i] and i not in blocked for i in index])


def _phrase_tokens(tokens: list[Token]) -> list[int]:
    """Indices of the words, numbers and symbols a phrase may hold: all but "-" and "."."""
    return [i for i, t in enumerate(tokens) if t.kind != "p" or t.key not in _SKIPPED_INSIDE_PHRASE]


def _match_key(token: Token, used: bool, fuzzy: bool) -> str:
    """The token's key, corrected to a lexicon word when it is a free word and typos are corrected."""
    return correct(token.key) if fuzzy and token.kind == "w" and not used else token.key


def _without_dye(words: _Words, end: int, hit: dict) -> dict:
    """"natural dye" is how a thing was dyed, not its colour."""
    if not _dyed_naturally(words, end, hit):
        return hit
    return {name: value for name, value in hit.items() if name != "colour"}


def _dyed_naturally(words: _Words, end: int, hit: dict) -> bool:
    """The natural colour with a dye word right after it."""
    natural, dye = tables().natural_colour, tables().words["dye_word"]
    return hit.get("colour") == natural and end < len(words.keys) and words.keys[end] in dye


def _entities_of(words: _Words, first: int, end: int, hit: dict, used: list[bool]) -> list[dict]:
    """One entity for each value a lexicon phrase names; a colour takes a modifier before it ("गहरा नीला")."""
    start, stop = words.index[first], words.index[end - 1] + 1
    entities = []
    for name, value in hit.items():
        entity = span_entity(name, value, words.tokens, start, stop, value_en=english(name, value))
        if name == "colour":
            _add_modifier(entity, words, first, used)
        entities.append(entity)
    return entities


def _add_modifier(colour: dict, words: _Words, first: int, used: list[bool]) -> None:
    """A free modifier word right before a colour widens it and marks the colour dark, light..."""
    before = first - 1
    if before < 0 or not words.free[before] or words.keys[before] not in tables().modifier:
        return
    modifier = tables().modifier[words.keys[before]]
    token = words.index[before]
    colour.update(start=words.tokens[token].start, modifier=modifier, modifier_en=english("colour", modifier))
    used[token] = True
