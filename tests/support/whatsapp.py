"""A test driver that chats like an artisan, through the simulator API (the same path as WhatsApp)."""
from __future__ import annotations

import base64
import random

from fakes import transcripts
from fakes.images import encode, product_photo


class WhatsApp:
    """One artisan's phone: say things, send photos, look at the conversation's state."""

    def __init__(self, client, number: str | None = None, channel: str = "whatsapp"):
        self.client = client
        self.number = number or f"+9198{random.randrange(10**8):08d}"
        self.channel = channel
        self.replies: list[dict] = []

    @property
    def address(self) -> str:
        """The artisan's address in the simulator's own space (never a real WhatsApp or SMS address)."""
        return f"sim:{self.number}"

    def _post(self, **body) -> list[dict]:
        resp = self.client.post("/simulator/api/messages",
                                json={"from": self.number, "channel": self.channel, **body})
        assert resp.status_code == 200, resp.get_json()
        self.replies = resp.get_json()["replies"]
        return self.replies

    def say(self, text: str) -> list[dict]:
        """Send a text; returns the bot's replies to it."""
        return self._post(text=text)

    def tap(self, button: dict) -> list[dict]:
        """Tap a quick-reply button from a reply."""
        return self._post(text=button["title"], button=button["id"])

    def send_photo(self, data: bytes, caption: str = "", content_type: str = "image/jpeg") -> list[dict]:
        return self.send_photos([data], caption=caption, content_type=content_type)

    def send_photos(self, photos: list[bytes], caption: str = "", content_type: str = "image/jpeg") -> list[dict]:
        """An album: several photos in one message."""
        media = [{"content_type": content_type, "data_base64": base64.b64encode(p).decode()} for p in photos]
        return self._post(text=caption, media=media)

    def send_media(self, data: bytes, content_type: str, caption: str = "") -> list[dict]:
        media = [{"content_type": content_type, "data_base64": base64.b64encode(data).decode()}]
        return self._post(text=caption, media=media)

    @property
    def text(self) -> str:
        """All reply texts of the last message, joined."""
        return "\n".join(r["text"] for r in self.replies)

    def state(self) -> dict:
        """The conversation as the simulator's side panel shows it."""
        resp = self.client.get(f"/simulator/api/conversations/{self.number}")
        assert resp.status_code == 200, resp.get_json()
        return resp.get_json()


def list_a_product(phone: WhatsApp) -> None:
    """The happy path of transcript 01: onboarding, three photos, every field, submitted."""
    seed = 0
    for turn in transcripts.load(transcripts.FOLDER / "01_happy_devanagari.yml")["turns"]:
        if "photos" in turn:
            seed += 1
            phone.send_photos([encode(product_photo(1000, 750, seed=seed * 10 + n)) for n in range(turn["photos"])])
        elif "say" in turn:
            phone.say(turn["say"])
