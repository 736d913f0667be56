"""SMS artisans add photos through a one-time link to a small mobile page."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from db.models import Photo
from fakes.images import encode, product_photo
from tests.support.clock import Clock
from tests.support.whatsapp import WhatsApp

LINK = re.compile(r"https?://\S+/u/([\w-]+)")


def _to_photo_step(app) -> tuple[WhatsApp, str]:
    phone = WhatsApp(app.test_client(), channel="sms")
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        phone.say(text)
    assert phone.state()["conversation"]["step"] == "photos"
    match = LINK.search(phone.text)
    assert match, phone.text
    return phone, match.group(1)


def test_photos_sent_through_the_link_land_in_the_draft_once(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example"})
    phone, token = _to_photo_step(app)
    client = app.test_client()
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    files = [(io.BytesIO(encode(product_photo(1200, 900, seed=s))), f"p{s}.jpg") for s in (1, 2, 3)]
    done = client.post(f"/u/{token}", data={"photos": files}, content_type="multipart/form-data")
    assert done.status_code == 200 and "3" in done.get_data(as_text=True)
    state = phone.state()
    assert len(state["draft"]["photos"]) == 3
    last = [m for m in state["messages"] if m["direction"] == "out"][-1]
    assert "3" in last["text"], last  # one acknowledgement for the three photos, by SMS
    again = client.post(f"/u/{token}", data={"photos": [(io.BytesIO(b"x"), "x.jpg")]},
                        content_type="multipart/form-data")
    assert again.status_code == 410
    with app.extensions["hunar"].db.session() as s:
        assert len(s.scalars(select(Photo)).all()) == 3


def test_an_expired_link_is_refused_and_a_new_one_is_offered(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    phone, token = _to_photo_step(app)
    clock.advance(timedelta(hours=25))
    assert app.test_client().get(f"/u/{token}").status_code == 410
    phone.say("फोटो")  # a day later the bot first asks whether to carry on with the unfinished draft
    assert not LINK.search(phone.text), phone.text
    phone.say("हाँ")
    fresh = LINK.search(phone.text)
    assert fresh and fresh.group(1) != token


def test_an_upload_without_photos_asks_again_and_keeps_the_link(app):
    phone, token = _to_photo_step(app)
    client = app.test_client()
    assert client.post(f"/u/{token}", data={}, content_type="multipart/form-data").status_code == 400
    assert client.get(f"/u/{token}").status_code == 200


def test_an_unknown_token_is_refused(client):
    assert client.get("/u/not-a-real-token").status_code == 410
