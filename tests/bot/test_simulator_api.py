"""The simulator API refuses bad input with a clear JSON error and stores nothing."""
from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import func, select

from db.models import Artisan, Message

GOOD = {"from": "+919812345678", "text": "नमस्ते"}

BAD = [
    ("missing from", {"text": "नमस्ते"}, "'from'"),
    ("from not a number", {"from": "sunita", "text": "नमस्ते"}, "'from'"),
    ("from a number inside text", {"from": "+91 98123 45678", "text": "hi"}, "'from'"),
    ("10 MB of text", {**GOOD, "text": "क" * (10 * 1024 * 1024)}, "too long"),
    ("text not a string", {**GOOD, "text": 500}, "'text'"),
    ("invalid base64", {**GOOD, "media": [{"content_type": "image/jpeg", "data_base64": "@@not base64@@"}]},
     "base64"),
    ("base64 with stray characters", {**GOOD, "media": [{"content_type": "image/jpeg", "data_base64": "aGVsbG8=*"}]},
     "base64"),
    ("media not a list", {**GOOD, "media": "photo.jpg"}, "'media'"),
    ("media item without type", {**GOOD, "media": [{"data_base64": "aGVsbG8="}]}, "content_type"),
    ("media type not a type", {**GOOD, "media": [{"content_type": "jpeg", "data_base64": "aGVsbG8="}]},
     "media type"),
    ("empty media", {**GOOD, "media": [{"content_type": "image/jpeg", "data_base64": ""}]}, "empty"),
    ("too many media", {**GOOD, "media": [{"content_type": "image/jpeg", "data_base64": "aGVsbG8="}] * 11},
     "at most"),
    ("unknown channel", {**GOOD, "channel": "telegram"}, "'channel'"),
    ("nothing to say", {"from": "+919812345678", "text": "   "}, "text"),
    ("not an object", ["+919812345678", "नमस्ते"], "JSON object"),
]


@pytest.mark.parametrize("case, body, says", BAD, ids=[c[0] for c in BAD])
def test_bad_input_gets_400_with_a_clear_error_and_stores_nothing(app, client, case, body, says):
    resp = client.post("/simulator/api/messages", json=body)
    assert resp.status_code == 400
    assert resp.is_json and says in resp.get_json()["error"]
    with app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(func.count(Message.id))) == 0
        assert s.scalar(select(func.count(Artisan.id))) == 0
    media_root = os.path.join(app.config["HUNAR"]["INSTANCE_PATH"], "media")
    assert not os.path.exists(media_root) or not any(files for _, _, files in os.walk(media_root))


def test_a_body_that_is_not_json_is_refused(client):
    resp = client.post("/simulator/api/messages", data="from=+919812345678&text=hi",
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 400 and "JSON object" in resp.get_json()["error"]


def test_an_oversized_request_is_refused_with_json(client):
    big = base64.b64encode(os.urandom(50 * 1024 * 1024)).decode()
    resp = client.post("/simulator/api/messages", json={**GOOD, "media": [{"content_type": "image/jpeg",
                                                                           "data_base64": big}]})
    assert resp.status_code == 413 and resp.is_json


def test_unknown_conversation_is_a_404_with_json(client):
    resp = client.get("/simulator/api/conversations/+919800000000")
    assert resp.status_code == 404 and "error" in resp.get_json()


def test_the_page_is_a_mobile_chat_with_a_photo_button(client):
    html = client.get("/simulator/").get_data(as_text=True)
    assert 'name="viewport"' in html and 'charset="utf-8"' in html
    assert 'type="file"' in html and 'accept="image/*' in html
    assert client.get("/simulator/static/simulator.js").status_code == 200


def test_simulator_is_off_in_production(make_app):
    app = make_app(config={"ENV": "production", "SECRET_KEY": "0123456789abcdef" * 2,
                                  "DESK_WHATSAPP": "+919812345678"})
    assert app.test_client().get("/simulator/").status_code == 404
