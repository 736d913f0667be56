"""F1: nothing an artisan sends is ever served as a web page from Hunar's origin."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from db.models import Message
from fakes.images import encode, product_photo
from tests.security.helpers import stored_files
from tests.support.desk import conversation_id
from tests.support.whatsapp import WhatsApp

PAGE = b"<!doctype html><html><body><script>fetch('/helpdesk/admin/staff')</script></body></html>"
SCRIPT = b"fetch('/helpdesk/admin/staff', {method: 'POST'})"
VOICE = b"OggS\x00\x02" + bytes(400)
ONBOARD = ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई")


def _onboarded(app) -> WhatsApp:
    phone = WhatsApp(app.test_client())
    for text in ONBOARD:
        phone.say(text)
    return phone


@pytest.mark.parametrize("data, declared", [
    (PAGE, "text/html"), (PAGE, "audio/ogg"), (PAGE, "application/pdf"), (SCRIPT, "application/javascript"),
    (PAGE, "image/jpeg"), (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/svg+xml"),
])
def test_f1_a_page_or_script_sent_as_any_type_is_never_stored(app, data, declared):
    phone = _onboarded(app)
    phone.send_media(data, declared)
    assert "फ़ाइल" in phone.text, phone.text  # told in Hindi that the file was not taken
    for key, content in stored_files(app).items():
        assert data not in content, key
    with app.extensions["hunar"].db.session() as s:
        media = [item for m in s.scalars(select(Message).where(Message.direction == "in")) for item in m.media or []]
    assert media and not any(item.get("key") for item in media)


def test_f1_a_page_from_twilio_media_is_not_kept(twilio_app, twilio, fake_twilio):
    url = fake_twilio.media(PAGE, "audio/ogg")  # the media host's declared type is not trusted either
    twilio.say("", NumMedia="1", MediaUrl0=url, MediaContentType0="audio/ogg")
    assert not any(PAGE in content for content in stored_files(twilio_app).values())


def test_f1_voice_notes_are_kept_privately_under_their_sniffed_type(app):
    phone = _onboarded(app)
    phone.send_media(VOICE, "application/octet-stream")
    keys = [k for k, v in stored_files(app).items() if v == VOICE]
    assert len(keys) == 1 and re.fullmatch(r"private/[0-9a-f]{2}/[0-9a-f]{64}\.ogg", keys[0]), keys
    assert app.test_client().get(f"/media/{keys[0]}").status_code == 404  # never on the public route


def test_f1_public_media_serves_photo_derivatives_only(app):
    store = app.extensions["hunar"].media_store
    store.put("media/ab/" + "ab" * 32 + ".html", PAGE, "text/html")  # a file an earlier version kept
    store.put("private/ab/" + "ab" * 32 + ".ogg", VOICE, "audio/ogg")
    store.put("ab/cd/" + "ab" * 32 + "_320.jpg", PAGE, "image/jpeg")  # a derivative's name over other bytes
    client = app.test_client()
    for key in ("media/ab/" + "ab" * 32 + ".html", "private/ab/" + "ab" * 32 + ".ogg",
                "ab/cd/" + "ab" * 32 + "_320.jpg", "incoming/x"):
        assert client.get(f"/media/{key}").status_code == 404, key
    phone = _onboarded(app)
    phone.send_photo(encode(product_photo(1000, 750)))
    thumb = phone.state()["draft_photos"][0]["url"]
    served = client.get(thumb[thumb.index("/media/"):])
    assert served.status_code == 200 and served.mimetype in ("image/jpeg", "image/webp")


def test_f1_staff_get_kept_files_as_sandboxed_attachments_and_strangers_get_nothing(app, agent, whatsapp):
    for text in ONBOARD:
        whatsapp.say(text)
    whatsapp.send_media(VOICE, "audio/ogg")
    legacy = "media/cd/" + "cd" * 32 + ".html"
    app.extensions["hunar"].media_store.put(legacy, PAGE, "text/html")
    page = agent.get(f"/helpdesk/c/{conversation_id(app, whatsapp.number)}").get_data(as_text=True)
    voice = re.findall(r'<audio[^>]*src="([^"]+)"', page)[0]
    for path, kind in ((voice, "audio/ogg"), (f"/helpdesk/media/{legacy}", "application/octet-stream")):
        resp = agent.get(path)
        assert resp.status_code == 200 and resp.mimetype == kind, path
        assert resp.headers["Content-Disposition"].startswith("attachment")
        assert resp.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert app.test_client().get(path).status_code in (302, 401)  # no staff login, no file


def test_f1_the_upload_page_takes_photos_only_and_keeps_the_link(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example"})
    phone = WhatsApp(app.test_client(), channel="sms")
    for text in ONBOARD:
        phone.say(text)
    token = re.search(r"/u/([\w-]+)", phone.text).group(1)
    client = app.test_client()
    for name, data in (("photo.jpg", PAGE), ("a.js", SCRIPT)):
        resp = client.post(f"/u/{token}", data={"photos": [(io.BytesIO(data), name, "image/jpeg")]},
                           content_type="multipart/form-data")
        assert resp.status_code == 400 and "फोटो नहीं" in resp.get_data(as_text=True)
    assert not any(PAGE in v or SCRIPT in v for v in stored_files(app).values())
    good = client.post(f"/u/{token}", data={"photos": [(io.BytesIO(encode(product_photo(900, 700))), "p.jpg")]},
                       content_type="multipart/form-data")
    assert good.status_code == 200  # the refused tries did not use up the link
    assert len(phone.state()["draft"]["photos"]) == 1
