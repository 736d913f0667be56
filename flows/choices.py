"""Fixed lists the bot offers as numbered options (districts, products, ...), from choices.yml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

PATH = Path(__file__).parent / "choices.yml"


@lru_cache(maxsize=None)
def _all() -> dict[str, list[dict]]:
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def options(name: str) -> list[dict]:
    """The entries of one list: each has at least "hi" and "en"."""
    return _all()[name]


def pick(name: str, number: int) -> dict | None:
    """Entry `number` (from 1) of a list, as a {"hi", "en"} value."""
    entries = options(name)
    if 1 <= number <= len(entries):
        return {"hi": entries[number - 1]["hi"], "en": entries[number - 1]["en"]}
    return None


def lookup(name: str, text: str) -> dict | None:
    """The entry whose Hindi, English or Roman spelling is the whole text."""
    key = text.strip().lower()
    for entry in options(name):
        if key in {entry["hi"], entry["en"].lower(), *entry.get("also", ())}:
            return {"hi": entry["hi"], "en": entry["en"]}
    return None
