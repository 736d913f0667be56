"""Reading the Rasa NLU YAML files in nlu/data: examples, synonyms, lookups, and the key of one example."""
import os
import re

import yaml

from .normalise import phrase_key

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")  # os.path: pathlib costs ms to import
# Rasa's block kinds and the key each one's examples go under in `read`'s answer.
_BLOCKS = (("synonym", "synonyms"), ("lookup", "lookups"), ("intent", "intents"), ("regex", "regexes"))
# "[कीमत](field)" and "[कीमत]{"entity": "field"}": Rasa's two ways to label an entity inside an example.
_LABEL = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
# The C loader reads the big files several times faster; PyYAML without libyaml still works.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _examples(block_text: str | None) -> list[str]:
    """Rasa's `examples: |` block to a list of strings."""
    lines = map(str.strip, (block_text or "").splitlines())
    return [line[2:].strip() for line in lines if line.startswith("- ")]


def read(name: str) -> dict:
    """One data file as {"synonyms": {value: [examples]}, "lookups": {...}, "intents": {...}, "regexes": {...}}."""
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        doc = yaml.load(f, Loader=_LOADER)
    out = {section: {} for _, section in _BLOCKS}
    for block in doc.get("nlu", []):
        _add_block(block, out)
    return out


def _add_block(block: dict, out: dict) -> None:
    """File one YAML block's examples under its kind and name (a block has one kind)."""
    for kind, section in _BLOCKS:
        if kind in block:
            out[section].setdefault(str(block[kind]), []).extend(_examples(block.get("examples")))


def unlabel(example: str) -> str:
    """Strip Rasa entity labels: "[कीमत](field) बदलो" -> "कीमत बदलो"."""
    return _LABEL.sub(_label_text, example)


def _label_text(label: re.Match) -> str:
    """The text inside one label, whichever of the two forms it has."""
    return label.group(1) if label.group(1) is not None else label.group(2)


def word_key(example: str) -> str:
    """Key of a one-word example (multi-word examples keep their spaces)."""
    keys = phrase_key(example)
    return " ".join(keys) if keys else example.lower()


def with_synonyms(doc: dict, values: list[str]) -> list[str]:
    """Canonical values plus every synonym that maps to them."""
    out = list(values)
    for value, examples in doc["synonyms"].items():
        if value in values or set(examples) & set(values):
            out.extend(examples)
    return out
