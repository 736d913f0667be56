"""Fixed lists the bot offers as numbered options (districts, products, ...), from choices.yml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from flows.types import Bilingual

PATH = Path(__file__).parent / "choices.yml"


@lru_cache(maxsize=None)
def _all() -> dict[str, list[dict]]:
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def options(name: str) -> list[dict]:
    """The entries of one list: each has at least "hi" and "en"."""
    return _all()[name]


def pick(name: str, number: int) -> Bilingual | None:
    """Entry `number` (from 1) of a list."""
    entries = options(name)
    if 1 <= number <= len(entries):
        return Bilingual(entries[number - 1]["hi"], entries[number - 1]["en"])
    return None


def lookup(name: str, text: str) -> Bilingual | None:
    """The entry whose Hindi, English or Roman spelling is the whole text."""
    key = text.strip().lower()
    entry = next((e for e in options(name) if key in {e["hi"], e["en"].lower(), *e.get("also", ())}), None)
    return Bilingual(entry["hi"], entry["en"]) if entry else None
