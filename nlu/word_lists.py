"""Word lists of numbers.yml, units.yml and money.yml that the lexicon's tables do not keep.

`word_lists()["stock_word"]` and the like: each a set of keys as the tokenizer makes them (a multi-word
example is its words' keys joined by spaces).
"""
from functools import lru_cache

from .lexicon import read
from .normalise import phrase_key

_FILES = ("numbers.yml", "units.yml", "money.yml")


def _keys(examples) -> set[str]:
    """Keys of one-word (or multi-word, space-joined) examples, as the tokenizer makes them."""
    return {" ".join(phrase_key(example)) or example.lower() for example in examples}


@lru_cache(maxsize=None)
def word_lists() -> dict[str, set[str]]:
    """Every lookup of the three files by name, read once."""
    lists = {}
    for name in _FILES:
        for lookup, examples in read(name)["lookups"].items():
            lists.setdefault(lookup, set()).update(_keys(examples))
    return lists
