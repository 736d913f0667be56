"""Twilio's side of the webhook for tests: a driver that signs and posts forms, and settings for fakes.twilio."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from bot.web.webhook import sign
from db.models import Artisan, Conversation, Message
from fakes.twilio import ACCOUNT, TOKEN

PUBLIC = "https://hunar.example"
WHATSAPP_FROM = "whatsapp:+14155238886"


def twilio_settings(fake_twilio, cdn, **more) -> dict:
    return {"TWILIO_ENABLED": True, "TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM, "TWILIO_SMS_FROM": "+15005550006",
            "TWILIO_API_BASE": fake_twilio.url, "PUBLIC_BASE_URL": PUBLIC,
            "TWILIO_MEDIA_HOSTS": f"127.0.0.1:{fake_twilio.port},127.0.0.1:{cdn.port}",
            "TWILIO_MEDIA_AUTH_HOSTS": f"127.0.0.1:{fake_twilio.port}",
            "TWILIO_MEDIA_BACKOFF_SECONDS": 0, "TWILIO_RETRY_SECONDS": 0, "ALBUM_DEBOUNCE_SECONDS": 0,
            "TWILIO_TIMEOUT_SECONDS": 5, **more}


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
