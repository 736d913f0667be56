"""A test driver for the engine alone: one artisan talking to `flows.step` with the real nlu, no app around it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import flows
from flows import prompts
from flows.types import Inbound, Photo
from nlu import parse

NOW = datetime(2025, 11, 26, 10, 0, tzinfo=timezone.utc)


class Chat:
    """One artisan talking to `flows.step` with the real nlu."""

    def __init__(self, channel: str = "whatsapp", listings=()):
        self.channel, self.listings = channel, tuple(listings)
        self.current, self.now, self.photo_id = None, NOW, 1  # the engine's State
        self.result = None

    def say(self, *messages) -> "Chat":
        for message in messages:
            photos = ()
            if isinstance(message, int):
                photos = tuple(Photo(self.photo_id + i, "ok") for i in range(message))
                self.photo_id += message
                message = ""
            inbound = Inbound(self.now, message, channel=self.channel, photos=photos, listings=self.listings,
                              read=parse)
            self.result = flows.step(self.current, inbound, parse(message))
            self.current = self.result.state
            self.now += timedelta(minutes=1)
            for reply in self.result.replies:
                assert self.channel != "sms" or len(reply.text) <= 134, reply.text
        return self

    @property
    def state(self) -> dict:
        """The state as it is stored (JSON: a named thing is {"hi", "en"})."""
        return self.current.to_dict()

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.result.replies)

    @property
    def slots(self) -> dict:
        return self.state["slots"]

    @property
    def step(self) -> str:
        return self.state["step"]


def said(chat: Chat, key: str, lang: str = "hi") -> bool:
    """Whether the prompt `key` (its fixed words) is in the last replies."""
    pieces = [p.strip() for p in prompts.catalogue(lang)[key].split("{") if p.strip()]
    pieces = [p.split("}", 1)[-1].strip() for p in pieces]
    return all(piece in chat.text for piece in pieces if len(piece) >= 3)
