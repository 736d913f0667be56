"""The translator's patterns (data/patterns.yml), compiled to regular expressions over a clause's readings.

A clause's tokens are written "~reading~reading~ " one after another, so one pattern element matches a token
that has the reading it asks for, whatever other readings the token has."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .lexicon import data

_OTHER_READINGS = "(?:[^ ~]+~)*"
_SLOT = re.compile(r"\{(\w+)\}")


class Pattern(NamedTuple):
    """One compiled pattern: its kind, English template, regex, and which number slot counts the unit."""
    kind: str
    en: str
    regex: re.Pattern
    duration_number: str | None


def _reading(alternative: str, names: dict[str, int]) -> tuple[str, str | None]:
    """The regex for one alternative of an element, and the slot's name when it is a slot."""
    slot = _SLOT.fullmatch(alternative)
    if not slot:
        return f"~{_OTHER_READINGS}{re.escape(alternative)}~{_OTHER_READINGS} ", None
    kind = slot.group(1)
    names[kind] = names.get(kind, 0) + 1
    name = kind if names[kind] == 1 else f"{kind}_{names[kind]}"
    return f"~{_OTHER_READINGS}{kind}=(?P<{name}>[^ ~]+)~{_OTHER_READINGS} ", name


def compile_pattern(entry: dict) -> Pattern:
    """One entry of patterns.yml as a Pattern."""
    names: dict[str, int] = {}
    parts, duration_number, last_number = [], None, None
    for element in entry["match"].split():
        optional = element.endswith("?")
        read = [_reading(a, names) for a in element.rstrip("?").split("|")]
        parts.append("(?:" + "|".join(r for r, _ in read) + ")" + ("?" if optional else ""))
        slot = read[0][1]
        if slot and slot.startswith("unit"):
            duration_number = duration_number or last_number
        if element.rstrip("?") != "about":  # "karib 2 mahine": the number still counts the unit after "about"
            last_number = slot if slot and slot.startswith("num") else None
    return Pattern(entry["kind"], entry["en"], re.compile("".join(parts)), duration_number)


@lru_cache(maxsize=None)
def patterns() -> tuple[Pattern, ...]:
    """Every pattern, in the file's order."""
    return tuple(compile_pattern(entry) for entry in data("patterns.yml")["patterns"])


def tokens_text(tokens) -> tuple[str, list[int]]:
    """The clause's tokens as one string, and where each token starts in it."""
    starts, text = [], ""
    for said in tokens:
        starts.append(len(text))
        text += "~" + "~".join(said) + "~ "
    return text, starts
