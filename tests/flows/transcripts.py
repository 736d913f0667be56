"""Loading and checking golden transcripts (tests/transcripts/*.yml); the format is in its README."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import yaml

from flows import prompts

FOLDER = Path(__file__).resolve().parents[1] / "transcripts"
STEP = re.compile(r"^\+(\d+)([dhm])$")


def all_transcripts() -> list[Path]:
    return sorted(FOLDER.glob("*.yml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def time_step(text: str) -> timedelta:
    number, unit = STEP.match(text).groups()
    return timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: int(number)})


def fixed_words(key: str) -> list[list[str]]:
    """For a prompt key: per language and form, the literal pieces of its text (around the {variables})."""
    found = []
    for lang in prompts.LANGUAGES:
        for form in (key, f"{key}_sms"):
            if prompts.has(form, lang):
                pieces = re.split(r"\{\w+\}", prompts.catalogue(lang)[form])
                found.append([p.strip() for p in pieces if len(p.strip()) >= 3])
    return found


def shows(text: str, item: str) -> bool:
    """Whether a reply shows an expected item: a prompt key's fixed words, or a plain substring."""
    forms = fixed_words(item)
    if forms:
        return any(all(piece in text for piece in pieces) for pieces in forms)
    return item in text


def subset(expected, actual) -> bool:
    """`expected` is contained in `actual`; a number stands for a list's length."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, int) and isinstance(actual, list):
        return len(actual) == expected
    return expected == actual
