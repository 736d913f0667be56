"""Parsers: each takes an Answer and returns a slot value or a Retry(reason); extractors return a value or None."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from flows import choices
from flows.answer import Answer
from flows.types import Retry

WORDS = Path(__file__).parent / "words.yml"
LENGTH_UNITS = {"metre", "centimetre", "foot", "inch", "yard"}
COUNT_UNITS = {"piece", "pair", "dozen", None}


@lru_cache(maxsize=None)
def words() -> dict[str, list[str]]:
    """Small word lists the engine needs beyond nlu's entities (name prefixes, language requests)."""
    return yaml.safe_load(WORDS.read_text(encoding="utf-8"))


def bilingual(entity: dict) -> dict[str, str]:
    """A lexicon entity as the stored {"hi", "en"} value."""
    return {"hi": entity["value"], "en": entity.get("value_en") or entity["value"]}


def yes_no(answer: Answer) -> bool | Retry:
    if answer.intent == "affirm":
        return True
    if answer.intent == "deny":
        return False
    return Retry("yes_no")


def person_name(answer: Answer) -> str | Retry:
    """The artisan's name, without "मेरा नाम ... है" around it."""
    text = re.sub(r"[\s.,!।]+$", "", answer.text)
    lowered = text.lower()
    for prefix in sorted(words()["name_prefixes"], key=len, reverse=True):
        if lowered.startswith(prefix + " "):
            text = text[len(prefix):]
            break
    for suffix in words()["name_suffixes"]:
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)]
            break
    text = " ".join(text.split())
    if not text or len(text) > 40 or re.search(r"\d|[?@/]", text) or len(text.split()) > 4:
        return Retry("name")
    return text.title() if text.isascii() else text


def from_list(name: str) -> Callable[[Answer], Any]:
    """An entity of this name, a number from the numbered list, or the list entry typed in full."""

    def parse(answer: Answer) -> dict | Retry:
        found = extract(name)(answer)
        if found:
            return found
        picked = answer.picked(name) or (answer.bare_number() if name == "district" else None)
        value = choices.pick(name, picked) if picked else choices.lookup(name, answer.text)
        return value or Retry(name)

    return parse


def extract(name: str) -> Callable[[Answer], Any]:
    """The first entity of this name, as {"hi", "en"}, for over-answering."""

    def find(answer: Answer) -> dict | None:
        entity = answer.first(name)
        return bilingual(entity) if entity else None

    return find
