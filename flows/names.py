"""The artisan's own name: as the answer to "what is your name?", or said inside a longer message."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from flows.answer import Answer
from flows.types import Retry
from flows.words import longest_first, titled, words

TOKEN = re.compile(r"[^\s,.।!?()]+|[,.।!?()]")  # words and the punctuation between them
NAME_WORD = re.compile(r"[^\W\d_]+|[\u0900-\u097F]+")
MOST_WORDS = 3  # of a name said inside a message


def person_name(answer: Answer) -> str | Retry:
    """The artisan's name, without "mera naam ... hai" around it."""
    text = " ".join(_without_suffix(_without_prefix(re.sub(r"[\s.,!।]+$", "", answer.text))).split())
    if not text or len(text) > 40 or re.search(r"\d|[?@/]", text) or len(text.split()) > 4:
        return Retry("name")
    return titled(text)


def _without_prefix(text: str) -> str:
    lowered = text.lower()
    prefix = next((p for p in longest_first("name_prefixes") if lowered.startswith(p + " ")), "")
    return text[len(prefix):]


def _without_suffix(text: str) -> str:
    lowered = text.lower()
    suffix = next((s for s in words()["name_suffixes"] if lowered.endswith(s)), "")
    return text[: len(text) - len(suffix)]


@lru_cache(maxsize=None)
def _name_cue() -> re.Pattern:
    """"mera naam X", "my name is X": a cue, then up to three words of the name."""
    cues = "|".join(re.escape(c) for c in longest_first("name_cues"))
    return re.compile(rf"(?:{cues})\s+(?:है\s+|hai\s+|is\s+)?([^\s,.।!?]+(?:\s+[^\s,.।!?]+){{0,2}})", re.IGNORECASE)


def name_in(answer: Answer) -> str | None:
    """A name said inside a longer message ("haan ji, mera naam Kamla hai", "namaste, my name is Kamla Devi",
    "main Jind se Rajbala", "this is Ramesh from Yamunanagar")."""
    match = _name_cue().search(answer.text)
    if not match:
        return _introduced_name(answer)
    name = " ".join(_until_an_end_word(match.group(1).split()))
    if not name or re.search(r"\d", name):
        return None
    return titled(name)


def _until_an_end_word(said: list[str]) -> list[str]:
    ends = words()["name_ends"]
    end = next((n for n, word in enumerate(said) if word.lower() in ends), len(said))
    return said[:end]


def _introduced_name(answer: Answer) -> str | None:
    """The name after "main"/"this is", or after a district and its "from" word: up to three words that are
    neither known words nor part of something nlu read (a district, a craft, a product)."""
    tokens = [(m.start(), m.group()) for m in TOKEN.finditer(answer.text)]
    kind_at = _entity_kinds(answer)
    for n in range(len(tokens)):
        name = _name_after(tokens[n + 1:], kind_at) if _introduces(tokens, n, kind_at) else None
        if name:
            return name
    return None


def _entity_kinds(answer: Answer) -> Callable[[int], str | None]:
    """For a position in the text, the kind of entity nlu read there (None outside every entity)."""
    spans = [(e["start"], e["end"], e.get("entity")) for e in answer.parse.get("entities") or () if "start" in e]
    return lambda start: next((kind for a, b, kind in spans if a <= start < b), None)


def _introduces(tokens: list[tuple[int, str]], n: int, kind_at) -> bool:
    """Token `n` comes right before a name: "main", "this is", or a "from" after a district."""
    word = tokens[n][1].lower()
    after_district = n > 0 and word in words()["name_from"] and kind_at(tokens[n - 1][0]) == "district"
    return word in words()["name_triggers"] or after_district


def _before_the_name(kind: str | None, lowered: str) -> bool:
    """"main Fatehabad ton Gurpreet": the district and its "from" come first."""
    return kind == "district" or lowered in words()["name_from"] or lowered in words()["name_between"]


def _could_be_named(kind: str | None, token: str) -> bool:
    return not kind and token.lower() not in words()["not_names"] and bool(NAME_WORD.fullmatch(token))


def _name_after(tokens: list[tuple[int, str]], kind_at) -> str | None:
    """Up to three words of a name at the start of `tokens` (a district and "from" before it skipped)."""
    name: list[str] = []
    for start, token in tokens:
        if not name and _before_the_name(kind_at(start), token.lower()):
            continue
        if not _could_be_named(kind_at(start), token) or len(name) == MOST_WORDS:
            break
        name.append(token)
    found = " ".join(name)
    return titled(found) if found and not any(ch.isdigit() for ch in found) else None
