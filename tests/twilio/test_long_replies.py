"""A reply longer than one message may be (1600 characters on Twilio) arrives as several, in order, whole."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.outbox import MAX_BODY, split_body
from db.models import Artisan
from marketplace import listings

LINE = "१२. हाथ से बुनी लाल और नीली सूती दरी — जाँच में"  # one line of "my listings", as long as they get


@pytest.mark.parametrize("text, limit, last, expected", [
    ("नमस्ते", 10, None, ["नमस्ते"]),
    ("पहला पैरा\nदूसरी पंक्ति\n\nदूसरा पैरा", 25, None, ["पहला पैरा\nदूसरी पंक्ति", "दूसरा पैरा"]),
    ("एक दो तीन चार पाँच", 8, None, ["एक दो", "तीन चार", "पाँच"]),
    ("abcdefghij", 4, None, ["abcd", "efgh", "ij"]),  # nowhere to break: cut where it must be
    ("एक दो तीन चार", 20, 5, ["एक दो तीन", "चार"]),
    ("एक दो तीन", 10, 5, ["एक दो", "तीन"]),  # the last part keeps room for the numbered choices
])
def test_a_body_is_split_at_paragraphs_then_lines_then_spaces(text, limit, last, expected):
    assert split_body(text, limit, last) == expected


def test_every_part_fits_and_nothing_is_lost():
    text = "\n".join(f"{n}. {LINE}" for n in range(1, 120))
    parts = split_body(text, MAX_BODY, MAX_BODY - 40)
    assert len(parts) > 1 and all(len(p) <= MAX_BODY for p in parts) and len(parts[-1]) <= MAX_BODY - 40
    assert "\n".join(parts) == text


def test_an_artisan_with_many_listings_gets_them_all_in_several_messages(twilio_app, twilio, fake_twilio):
    number = "whatsapp:+919812345678"
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        twilio.say(text, sender=number)
    services = twilio_app.extensions["hunar"]
    with services.db.session() as s:
        artisan_id = s.scalar(select(Artisan.id).where(Artisan.address == number))
        for n in range(70):
            listings.create_listing(s, artisan_id=artisan_id, review=True, now=services.clock(), photo_ids=(),
                                    slots={"product": {"hi": f"हाथ से बुनी लाल और नीली सूती दरी {n + 1}",
                                                       "en": "durrie"},
                                           "quantity": 2, "price": {"amount": 900, "per": "piece"}})
    before = len(fake_twilio.sent)
    twilio.say("मेरी लिस्टिंग", sender=number)
    bodies = [seen.one("Body") for seen in fake_twilio.sent[before:]]
    assert len(bodies) >= 2 and all(len(body) <= MAX_BODY for body in bodies)
    said = "\n".join(bodies)
    positions = [said.find(f"सूती दरी {n + 1} —") for n in range(70)]
    assert -1 not in positions and positions == sorted(positions), "every listing, in order"
