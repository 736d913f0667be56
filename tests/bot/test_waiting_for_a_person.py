"""Through the simulator: after asking for a person the form holds, photos are kept, desk hours are told (M2)."""
from __future__ import annotations

from fakes import images
from tests.support.whatsapp import WhatsApp

ONBOARD = ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई")


def test_the_form_waits_for_the_person_and_keeps_photos(make_app):
    app = make_app(config={"DESK_HOURS": "10-18"})
    phone = WhatsApp(app.test_client())
    for text in ONBOARD:
        phone.say(text)
    phone.say("insaan se baat karni hai")
    phone.say("kab tak aayenge?")
    assert "टीम का साथी आ रहा है" in phone.text and "10 से 6 बजे" in phone.text
    phone.send_photo(images.encode(images.product_photo(1200, 900, seed=4)))
    assert "फोटो मिली" in phone.text and "टीम का साथी आ रहा है" in phone.text
    conversation = phone.state()["conversation"]
    assert conversation["step"] == "photos" and conversation["mode"] == "bot"
    assert conversation["flagged"] == "asked_human"
    phone.say("बॉट से ही करें")
    assert "बिना इंतज़ार आगे बढ़ते हैं" in phone.text
    assert phone.state()["conversation"]["flagged"] is None  # the queue no longer shows a person as awaited
