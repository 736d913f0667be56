"""Fakes an artisan who follows a script: the golden transcripts (tests/transcripts/*.yml) played through flows.step."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

import flows
from flows import prompts
from flows.types import Inbound, ListingRef, Photo
from nlu import parse

FOLDER = Path(__file__).resolve().parents[1] / "tests" / "transcripts"
START = datetime(2025, 11, 26, 9, 30, tzinfo=timezone.utc)
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


class Conversation:
    """One artisan talking to the engine, the way bot/turns.py calls it."""

    def __init__(self, spec: dict, read=None):
        self.read = read or (lambda text, step=None: parse(text))  # the NLU, told the step as a turn tells it
        self.channel = spec.get("channel", "whatsapp")
        self.upload_url = spec.get("upload_url")
        self.listings = tuple(ListingRef(**ref) for ref in spec.get("listings", ()))
        self.now, self.state, self.next_id = START, None, 1
        self.replies, self.effects = [], []

    def send(self, text: str = "", photos=(), voice: int = 0, button: str | None = None) -> None:
        inbound = Inbound(self.now, text=text, channel=self.channel, photos=tuple(photos), listings=self.listings,
                          upload_url=self.upload_url, button=button, read=parse,
                          media_kinds=("audio",) * voice, media_ids=tuple(range(900, 900 + voice)))
        result = flows.step(self.state, inbound, self.read(text, step=self.state.step if self.state else None))
        self.state, self.replies, self.effects = result.state, result.replies, result.effects
        self.now = self.now.replace(second=0) + time_step("+1m")
        for reply in self.replies:
            if self.channel == "sms":
                assert len(reply.text) <= 134 and not reply.buttons, reply.text
            else:
                assert len(reply.buttons) <= 3 and all(len(b.title) <= 20 for b in reply.buttons)

    def photos(self, spec) -> list[Photo]:
        entries = ["ok"] * spec if isinstance(spec, int) else spec
        made = []
        for entry in entries:
            entry = {"verdict": entry} if isinstance(entry, str) else entry
            made.append(Photo(self.next_id, entry["verdict"], entry.get("reason"), entry.get("quality", 1.0)))
            self.next_id += 1
        return made


def check(conversation: Conversation, turn: dict, where: str) -> None:
    text = "\n".join(reply.text for reply in conversation.replies)
    for item in turn.get("expect", ()):
        assert shows(text, item), f"{where}: expected {item!r} in:\n{text}"
    for item in turn.get("not_expect", ()):
        assert not shows(text, item), f"{where}: did not expect {item!r} in:\n{text}"
    if "state" in turn:
        assert subset(turn["state"], conversation.state.to_dict()), f"{where}: state {conversation.state}"
    names = [type(effect).__name__ for effect in conversation.effects]
    for name in turn.get("effects", ()):
        assert name in names, f"{where}: expected effect {name}, got {names}"


def replay(path, read=None) -> None:
    """Play one transcript through the engine; `read(text, step=None)` is the NLU (default: nlu.parse)."""
    spec = load(path)
    conversation = Conversation(spec, read)
    for number, turn in enumerate(spec["turns"], 1):
        where = f"{path.name} turn {number}"
        if "at" in turn:
            conversation.now += time_step(turn["at"])
        if "say" in turn or "photos" in turn or "voice" in turn or "button" in turn:
            assert conversation.send(str(turn.get("say", "")), conversation.photos(turn.get("photos", 0)),
                                     turn.get("voice", 0), turn.get("button")) is None
            assert conversation.replies or conversation.state.opted_out or turn.get("silent"), \
                f"{where}: no reply"
        check(conversation, turn, where)
