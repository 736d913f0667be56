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
NOT_IN_A_NAME = re.compile(r"\d|[?@/]")
MOST_WORDS = 3  # of a name said inside a message
LONGEST = 40  # characters of a name given as the answer


def person_name(answer: Answer) -> str | Retry:
    """The artisan's name, without "mera naam ... hai" around it."""
    text = " ".join(_without_suffix(_without_prefix(re.sub(r"[\s.,!।]+$", "", answer.text))).split())
    return titled(text) if _a_name(text) else Retry("name")


def _a_name(text: str) -> bool:
    """A few words without digits or signs in them."""
    return 0 < len(text) <= LONGEST and len(text.split()) <= 4 and not NOT_IN_A_NAME.search(text)


def _without_prefix(text: str) -> str:
    lowered = text.lower()
    prefix = next((p for p in longest_first("name_prefixes") if lowered.startswith(p + " ")), "")
    return text[len(prefix):]


def _without_suffix(text: str) -> str:
    lowered = text.lower()
    suffix = next(filter(lowered.endswith, words()["name_suffixes"]), "")
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
    return _without_digits(" ".join(_until_an_end_word(match.group(1).split())))


def _without_digits(name: str) -> str | None:
    """The name, unless it is empty or has a digit in it."""
    return titled(name) if name and not re.search(r"\d", name) else None


def _until_an_end_word(said: list[str]) -> list[str]:
    ends = words()["name_ends"]
    end = next((n for n, word in enumerate(said) if word.lower() in ends), len(said))
    return said[:end]


def _introduced_name(answer: Answer) -> str | None:
    """The name after "main"/"this is", or after a district and its "from" word: up to three words that are
    neither known words nor part of something nlu read (a district, a craft, a product)."""
    tokens = [(m.start(), m.group()) for m in TOKEN.finditer(answer.text)]
    kind_at = _entity_kinds(answer)
    names = (_name_after(tokens[n + 1:], kind_at) for n in range(len(tokens)) if _introduces(tokens, n, kind_at))
    return next(filter(None, names), None)


def _entity_kinds(answer: Answer) -> Callable[[int], str | None]:
    """For a position in the text, the kind of entity nlu read there (None outside every entity; the first
    entity read there when several overlap)."""
    kinds = {i: kind for start, end, kind in reversed(_spans(answer)) for i in range(start, end)}
    return kinds.get


def _spans(answer: Answer) -> list[tuple[int, int, str | None]]:
    return [(e["start"], e["end"], e.get("entity")) for e in answer.parse.get("entities") or () if "start" in e]


def _introduces(tokens: list[tuple[int, str]], n: int, kind_at) -> bool:
    """Token `n` comes right before a name: "main", "this is", or a "from" after a district."""
    word = tokens[n][1].lower()
    return word in words()["name_triggers"] or _from_a_district(tokens, n, kind_at)


def _from_a_district(tokens: list[tuple[int, str]], n: int, kind_at) -> bool:
    """"Jind se ...": token `n` is a "from" word right after a district."""
    return n > 0 and tokens[n][1].lower() in words()["name_from"] and kind_at(tokens[n - 1][0]) == "district"


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
    return _spelled(" ".join(name))


def _spelled(found: str) -> str | None:
    """A name found by where it stands in the message, unless there is a digit in it."""
    return titled(found) if found and not any(ch.isdigit() for ch in found) else None
