"""Abuse: forged and fuzzed webhooks, bombs, markup and SQL-looking text, very long answers."""
from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import Artisan, Message
from fakes import images
from tests.support.fuzz import examples
from tests.support.twilio import Twilio
from tests.support.whatsapp import WhatsApp

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQLISH = "'; DROP TABLE listings; -- \" OR 1=1"

field_names = st.sampled_from(["Body", "From", "To", "MessageSid", "NumMedia", "MediaUrl0", "MediaContentType0",
                               "ProfileName", "WaId", "ButtonPayload", "Latitude", "Longitude", "Unknown", "SmsSid"])
field_values = st.one_of(st.text(max_size=200), st.sampled_from(["", "0", "1", "99", "-1", "whatsapp:", "+91",
                                                                  "file:///etc/passwd", "http://127.0.0.1:6379/"]))


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.dictionaries(field_names, field_values, max_size=8))
def test_signed_webhooks_with_any_fields_get_200_or_a_clear_refusal(twilio, extra):
    form = Twilio.form("whatsapp:+919812345678", "नमस्ते")
    form.update(extra)
    resp = twilio.post(form)
    assert resp.status_code in (200, 400, 403), (resp.status_code, resp.get_data(as_text=True)[:300])
    if resp.status_code == 200:
        assert resp.content_type.startswith("text/xml")


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000))
def test_unsigned_garbage_is_refused_and_stores_nothing(twilio_app, raw):
    resp = twilio_app.test_client().post("/webhooks/twilio", data=raw,
                                         content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 403 and resp.get_data() == b""
    with twilio_app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(func.count(Message.id))) == 0


def test_a_forged_webhook_with_a_plausible_signature_is_refused(twilio):
    form = Twilio.form("whatsapp:+919812345678", "मेरा डेटा हटाओ")
    assert twilio.post(form, signature="L/OH5YylLD5NRKLltdqwSvS0BnU=").status_code == 403


def test_an_oversized_webhook_body_is_refused(twilio_app):
    big = "Body=" + "क" * (70 * 1024 // 3)
    resp = twilio_app.test_client().post("/webhooks/twilio", data=big.encode(), headers={
        "X-Twilio-Signature": "L/OH5YylLD5NRKLltdqwSvS0BnU="}, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 413


def test_an_image_bomb_gets_a_hindi_retake_message_not_a_crash(whatsapp):
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        whatsapp.say(text)
    whatsapp.send_photo(images.png_header_only(50_000, 50_000), content_type="image/png")
    assert whatsapp.replies and any("\u0900" <= ch <= "\u097f" for ch in whatsapp.text)
    assert whatsapp.state()["draft"].get("photos", []) == []


def test_markup_and_sql_in_answers_are_kept_as_text(app):
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ"):
        phone.say(text)
    phone.say(SQLISH)
    phone.say(SCRIPT)
    with app.extensions["hunar"].db.session() as s:
        bodies = [m.body for m in s.scalars(select(Message).where(Message.direction == "in"))]
        assert SQLISH in bodies and SCRIPT in bodies, "stored verbatim, as data"
        assert s.scalar(select(func.count(Artisan.id))) == 1
    page = app.test_client().get(f"/simulator/api/conversations/{phone.number}").get_json()
    assert any(m["text"] == SCRIPT for m in page["messages"]), "the API returns it as a string, the page as text"


def test_a_very_long_name_is_not_taken(whatsapp):
    whatsapp.say("नमस्ते")
    whatsapp.say("हाँ")
    whatsapp.say("सुनीता " * 500)
    state = whatsapp.state()
    assert state["conversation"]["step"] == "name", "asked again, with an example"
    assert "जैसे" in whatsapp.text


def test_markup_in_a_listing_is_shown_as_text_on_the_storefront_and_in_feeds(app):
    from datetime import datetime, timezone

    from marketplace.listings import create_listing

    services = app.extensions["hunar"]
    with services.db.session() as s:
        artisan = Artisan(address="whatsapp:+919812345670", phone="+919812345670", name=SCRIPT, district="पानीपत")
        s.add(artisan)
        s.flush()
        listing = create_listing(s, artisan_id=artisan.id, review=False, now=datetime.now(timezone.utc), photo_ids=(),
                                 slots={"product": {"hi": "दरी", "en": "durrie"}, "description": SCRIPT + SQLISH,
                                        "price": {"amount": 1200, "per": "piece"}, "quantity": 2})
        listing_id = listing.id
    client = app.test_client()
    for path in (f"/listings/{listing_id}", f"/listings/{listing_id}?lang=en", "/catalogue", "/feeds/google.xml"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in body and "onerror=alert(1)>" not in body, path
    assert "+919812345670" not in client.get(f"/api/listings/{listing_id}").get_data(as_text=True)
