"""Replay every golden transcript (tests/transcripts/*.yml) through flows.step with the real nlu."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

import flows
from flows.types import Inbound, ListingRef, Photo
from nlu import parse
from transcripts import all_transcripts, load, shows, subset, time_step

START = datetime(2025, 11, 26, 9, 30, tzinfo=timezone.utc)


class Conversation:
    """One artisan talking to the engine, the way the dispatcher would call it."""

    def __init__(self, spec: dict, read=None):
        self.read = read or (lambda text, step=None: parse(text))  # the NLU, told the step as the dispatcher does
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


@pytest.mark.parametrize("path", all_transcripts(), ids=lambda path: path.stem)
def test_transcript(path):
    replay(path)


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


def test_there_are_at_least_25_transcripts():
    assert len(all_transcripts()) >= 25
