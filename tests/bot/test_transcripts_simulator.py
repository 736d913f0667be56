"""Replay every golden transcript through the simulator API: the real inbox, turns, database, photos and NLU."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PIL import ImageEnhance
from sqlalchemy import select

from bot.conversations import load_state
from db.models import Artisan, Conversation, Event, Listing
from fakes import images
from fakes.transcripts import all_transcripts, load, shows, subset, time_step
from tests.support.clock import Clock
from tests.support.whatsapp import WhatsApp

# The audit events that show an effect was carried out, by effect name.
EVENT_OF_EFFECT = {
    "SaveProfile": ("artisan.profile",),
    "RecordConsent": ("artisan.consent",),
    "SubmitListing": ("listing.submitted",),
    "UpdateListing": ("listing.price", "listing.quantity", "listing.edited", "listing.sold_out", "listing.withdrawn",
                      "listing.published"),
    "FlagHelpdesk": ("conversation.flagged",),
    "SetOptOut": ("artisan.opt_out", "artisan.opt_in"),
    "DeleteMyData": ("artisan.deleted",),
    "DiscardPhotos": ("photos.discarded",),
}

# Real pictures that get each verdict from marketplace/photos (tests/photos/test_verdicts.py pins these).
PICTURES = {
    ("ok", None): lambda seed: images.encode(images.product_photo(1200, 900, seed=seed)),
    ("tip", "blurry"): lambda seed: images.encode(images.blurred_photo(1200, 900, radius=2, seed=seed)),
    ("retake", "blurry"): lambda seed: images.encode(images.blurred_photo(1200, 900, radius=6, seed=seed)),
    ("tip", "dark"): lambda seed: images.encode(
        ImageEnhance.Brightness(images.product_photo(1200, 900, seed=seed)).enhance(0.35)),
    ("tip", "too_small"): lambda seed: images.encode(images.product_photo(900, 600, seed=seed)),
    ("tip", "product_small"): lambda seed: images.encode(images.product_photo(1200, 900, seed=seed, frac=0.35)),
    ("retake", "dark"): lambda seed: images.encode(images.dark(images.product_photo(1200, 900, seed=seed))),
    ("retake", "bright"): lambda seed: images.encode(images.bright(images.product_photo(1200, 900, seed=seed))),
    ("retake", "too_small"): lambda seed: images.encode(images.product_photo(400, 300, seed=seed)),
    ("retake", "empty"): lambda seed: images.encode(images.empty_photo(1200, 900)),
    ("retake", "screenshot"): lambda seed: images.encode(images.screenshot(seed=seed), "PNG"),
    ("retake", "product_small"): lambda seed: images.encode(images.product_photo(1200, 900, seed=seed, frac=0.15)),
    ("reject", "not_image"): lambda seed: b"this is not a photo",
    ("reject", "too_large"): lambda seed: images.oversize_photo(seed),
}
VOICE_NOTE = b"OggS\x00\x02" + bytes(200)


class Replay:
    """One artisan replaying a transcript through the simulator, with the app's clock in hand."""

    def __init__(self, app, spec: dict, clock: Clock):
        self.app, self.clock = app, clock
        self.phone = WhatsApp(app.test_client(), channel=spec.get("channel", "whatsapp"))
        self.seed = 100
        self.last_photo: bytes | None = None
        self.event_mark = 0
        if spec.get("listings"):
            self._seed_listings(spec["listings"])

    def _seed_listings(self, refs: list[dict]) -> None:
        """Listings the artisan already has, made the way the bot makes them."""
        from marketplace.listings import create_listing, move

        services = self.app.extensions["hunar"]
        with services.db.session() as s:
            artisan = Artisan(address=self.phone.address, name="Test",
                              district="पानीपत", consent_version="seeded", consent_at=self.clock())
            s.add(artisan)
            s.flush()
            s.add(Conversation(artisan_id=artisan.id, slots={}, context={}, via="simulator"))
            for ref in sorted(refs, key=lambda r: r["number"]):
                listing = create_listing(s, artisan_id=artisan.id, review=False, now=self.clock(), photo_ids=(),
                                         slots={"product": {"hi": ref["product"], "en": None},
                                                "price": {"amount": ref.get("price"), "per": ref.get("per", "piece")},
                                                "quantity": ref.get("quantity", 1)})
                if ref.get("status", "published") != "published":
                    move(s, listing, ref["status"], now=self.clock(), actor="test")

    def pictures(self, spec) -> list[bytes]:
        entries = ["ok"] * spec if isinstance(spec, int) else spec
        made = []
        for entry in entries:
            entry = {"verdict": entry} if isinstance(entry, str) else entry
            if entry.get("reason") == "duplicate":
                made.append(self.last_photo)
                continue
            self.seed += 1
            made.append(PICTURES[(entry["verdict"], entry.get("reason"))](self.seed))
            self.last_photo = made[-1]
        return made

    def send(self, turn: dict) -> None:
        with self.app.extensions["hunar"].db.session() as s:
            self.event_mark = s.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0
        text = str(turn.get("say", ""))
        if turn.get("photos"):
            self.phone.send_photos(self.pictures(turn["photos"]), caption=text)
        elif turn.get("voice"):
            self.phone.send_media(VOICE_NOTE, "audio/ogg", caption=text)
        elif "button" in turn:
            self.phone._post(text=text, button=turn["button"])
        else:
            self.phone.say(text)
        self.clock.advance(timedelta(minutes=1))
        for reply in self.phone.replies:
            if self.phone.channel == "sms":
                assert len(reply["text"]) <= 134 and not reply["buttons"], reply["text"]
            else:
                assert len(reply["buttons"]) <= 3 and all(len(b["title"]) <= 20 for b in reply["buttons"])

    def state(self) -> dict | None:
        """The stored state as one JSON dict."""
        with self.app.extensions["hunar"].db.session() as s:
            artisan = s.scalar(select(Artisan).where(Artisan.address == self.phone.address))
            conv = artisan and s.scalar(select(Conversation).where(Conversation.artisan_id == artisan.id))
            state = load_state(conv) if conv else None
            return state.to_dict() if state else None

    def events_since_send(self) -> set[str]:
        with self.app.extensions["hunar"].db.session() as s:
            return set(s.scalars(select(Event.kind).where(Event.id > self.event_mark)))


def _ids_as_counts(expected):
    """Ids in a transcript are the engine's own (1, 2, … and 900 for voice notes); the database's differ."""
    if isinstance(expected, dict):
        return {k: (len(v) if k in ("photos", "voice_notes") and isinstance(v, list) else _ids_as_counts(v))
                for k, v in expected.items()}
    return expected


def _expected(item: str, spec: dict) -> str:
    """A transcript's made-up upload link stands for the real one the bot hands out."""
    if spec.get("upload_url") and spec["upload_url"] in item:
        return item.replace(spec["upload_url"], "/u/")
    return item


@pytest.mark.parametrize("path", all_transcripts(), ids=lambda path: path.stem)
def test_transcript_through_the_simulator(make_app, path):
    spec = load(path)
    clock = Clock()
    app = make_app(services={"clock": clock})
    replay = Replay(app, spec, clock)
    for number, turn in enumerate(spec["turns"], 1):
        where = f"{path.name} turn {number}"
        if "at" in turn:
            clock.advance(time_step(turn["at"]))
        if any(k in turn for k in ("say", "photos", "voice", "button")):
            replay.send(turn)
            state = replay.state() or {}
            assert replay.phone.replies or state.get("opted_out") or turn.get("silent"), f"{where}: no reply"
        text = "\n".join(r["text"] for r in replay.phone.replies)
        for item in turn.get("expect", ()):
            assert shows(text, _expected(item, spec)), f"{where}: expected {item!r} in:\n{text}"
        for item in turn.get("not_expect", ()):
            assert not shows(text, item), f"{where}: did not expect {item!r} in:\n{text}"
        if "state" in turn:
            state = replay.state()
            assert subset(_ids_as_counts(turn["state"]), state), f"{where}: state {state}"
        kinds = replay.events_since_send()
        for name in turn.get("effects", ()):
            assert set(EVENT_OF_EFFECT[name]) & kinds, f"{where}: {name} left no trace; events {sorted(kinds)}"


def test_a_listing_chatted_through_the_simulator_is_stored_with_its_photos(make_app):
    """The end of the happy path, checked in the database rather than in the replies."""
    path = next(p for p in all_transcripts() if "happy_devanagari" in p.stem)
    spec = load(path)
    clock = Clock()
    app = make_app(services={"clock": clock})
    replay = Replay(app, spec, clock)
    for turn in spec["turns"]:
        if "at" in turn:
            clock.advance(time_step(turn["at"]))
        if any(k in turn for k in ("say", "photos", "voice", "button")):
            replay.send(turn)
    with app.extensions["hunar"].db.session() as s:
        listing = s.scalar(select(Listing))
        assert listing is not None and listing.status in ("review", "published")
        assert listing.price_amount and listing.quantity
        from marketplace.listings import photos_of

        assert len(photos_of(s, listing.id)) >= 1
    assert re.search(r"[\u0900-\u097F]", replay.phone.text)
