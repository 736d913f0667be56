"""The engine's own word lists (words.yml), and the answers read with them or taken as said: yes or no,
"send it", "also", a description."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from flows.answer import Answer
from flows.types import Retry

WORDS = Path(__file__).parent / "words.yml"


@lru_cache(maxsize=None)
def words() -> dict[str, list[str]]:
    """Small word lists the engine needs beyond nlu's entities (name prefixes, language requests)."""
    return yaml.safe_load(WORDS.read_text(encoding="utf-8"))


def longest_first(name: str) -> list[str]:
    """A word list, longest words first (so "mera naam hai" is tried before "mera naam")."""
    return sorted(words()[name], key=len, reverse=True)


def titled(name: str) -> str:
    """A name typed in Roman letters gets capitals ("kamla devi" → "Kamla Devi"); Devanagari has none."""
    return name.title() if name.isascii() else name


def adds(answer: Answer) -> bool:
    """"hara bhi daalo", "also green": a value added to those given, not instead of them."""
    lowered = f" {answer.text.lower()} "
    return any(f" {word} " in lowered for word in words()["adding"])


def yes_no(answer: Answer) -> bool | Retry:
    if answer.intent == "affirm":
        return True
    if answer.intent == "deny":
        return False
    if re.sub(r"[\s.,!।🙏]+$", "", answer.text.lower()) in words()["yes_words"]:
        return True
    return Retry("yes_no")


def says_send(answer: Answer) -> bool:
    """"bhej do", "bhej dijiye", "submit": send the listing (nlu reads these as plain text)."""
    text = " ".join(answer.text.lower().replace(",", " ").replace("।", " ").split())
    return text in words()["send"]


def description(answer: Answer) -> str | Retry:
    """A few words in the artisan's own words."""
    text = " ".join(answer.text.split())
    if len(text) < 3:
        return Retry("description")
    return text[:500]
