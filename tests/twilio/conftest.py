"""Fixtures for the Twilio channel: local fakes of Twilio's API and CDN, an app wired to them, a signed-webhook driver."""
from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import select

from bot.web.webhook import sign
from db.models import Artisan, Conversation, Message
from tests.twilio.fakes import ACCOUNT, TOKEN, FakeHost, FakeTwilio

PUBLIC = "https://hunar.example"
WHATSAPP_FROM = "whatsapp:+14155238886"


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def cdn():
    """Twilio's media CDN stand-in (mms.twiliocdn.com): no credentials needed."""
    fake = FakeHost()
    yield fake
    fake.close()


def twilio_settings(fake_twilio, cdn, **more) -> dict:
    return {"TWILIO_ENABLED": True, "TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM, "TWILIO_SMS_FROM": "+15005550006",
            "TWILIO_API_BASE": fake_twilio.url, "PUBLIC_BASE_URL": PUBLIC,
            "TWILIO_MEDIA_HOSTS": f"127.0.0.1:{fake_twilio.port},127.0.0.1:{cdn.port}",
            "TWILIO_MEDIA_AUTH_HOSTS": f"127.0.0.1:{fake_twilio.port}",
            "TWILIO_MEDIA_BACKOFF_SECONDS": 0, "TWILIO_RETRY_SECONDS": 0, "ALBUM_DEBOUNCE_SECONDS": 0,
            "TWILIO_TIMEOUT_SECONDS": 5, **more}


@pytest.fixture
def twilio_app(make_app, fake_twilio, cdn):
    """The embedded app (SQLite, fakeredis, jobs inline) talking to the local Twilio fakes."""
    return make_app("embedded", twilio_settings(fake_twilio, cdn))


class Twilio:
    """Plays Twilio calling our webhook: builds realistic forms and signs them like Twilio does."""

    def __init__(self, client, token: str = TOKEN, base: str = PUBLIC):
        self.client = client
        self.token = token
        self.base = base

    @staticmethod
    def form(sender: str = "whatsapp:+919812345678", body: str = "", **fields) -> dict:
        form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT, "From": sender,
                "To": WHATSAPP_FROM if sender.startswith("whatsapp:") else "+15005550006", "Body": body,
                "NumMedia": "0", "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01"}
        if sender.startswith("whatsapp:+"):
            form.update(ProfileName="Sunita", WaId=sender.split("+", 1)[1])
        form["SmsMessageSid"] = form["SmsSid"] = form["MessageSid"]
        form.update({k: v for k, v in fields.items() if v is not None})
        return form

    def post(self, form: dict, path: str = "/webhooks/twilio", headers: dict | None = None, signature=None):
        signature = signature if signature is not None else sign(self.base + path, form, self.token)
        return self.client.post(path, data=form, headers={"X-Twilio-Signature": signature, **(headers or {})})

    def say(self, text: str, sender: str = "whatsapp:+919812345678", **fields):
        return self.post(self.form(sender, text, **fields))

    def photo(self, url: str, sender: str = "whatsapp:+919812345678", caption: str = "",
              content_type: str = "image/jpeg", **fields):
        return self.post(self.form(sender, caption, NumMedia="1", MediaUrl0=url, MediaContentType0=content_type,
                                   **fields))

    def status(self, sid: str, status: str, **fields):
        form = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
                "AccountSid": ACCOUNT, "From": WHATSAPP_FROM, "To": "whatsapp:+919812345678",
                "ApiVersion": "2010-04-01", **fields}
        return self.post(form, path="/webhooks/twilio/status")


@pytest.fixture
def twilio(twilio_app):
    return Twilio(twilio_app.test_client())


def random_number() -> str:
    return f"whatsapp:+9198{random.randrange(10**8):08d}"


def messages(app, direction: str | None = None) -> list[Message]:
    with app.extensions["hunar"].db.session() as s:
        q = select(Message).order_by(Message.id)
        if direction:
            q = q.where(Message.direction == direction)
        return list(s.scalars(q))


def artisan_and_conversation(app, address: str) -> tuple[Artisan, Conversation]:
    with app.extensions["hunar"].db.session() as s:
        artisan = s.scalar(select(Artisan).where(Artisan.address == address))
        conv = s.scalar(select(Conversation).where(Conversation.artisan_id == artisan.id))
        return artisan, conv


def album_photo(i: int) -> bytes:
    """The i-th (0–7) of eight distinct, good product photos: each passes the check and none is a near-duplicate."""
    from tests.photos.images import background, camera, durrie, encode

    im = background(1000, 750, seed=i)
    pw, ph = 420 + 40 * (i % 4), 320 + 30 * (i // 2)
    x, y = [(40, 40), (520, 40), (40, 380), (520, 380), (290, 200), (100, 200), (450, 100), (200, 300)][i]
    im.paste(durrie(pw, ph, seed=i + 1), (min(x, 1000 - pw), min(y, 750 - ph)))
    return encode(camera(im))
