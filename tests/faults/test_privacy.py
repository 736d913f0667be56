"""Privacy (DPDP Act 2023): consent recorded with its version, "मेरा डेटा हटाओ" erases, raw media expires."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from bot import jobs
from db.models import Artisan, Event, Listing, Message, Photo
from tests.support.clock import Clock
from tests.support.whatsapp import WhatsApp, list_a_product


def test_consent_is_recorded_with_its_time_and_text_version(app):
    phone = WhatsApp(app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")
    with app.extensions["hunar"].db.session() as s:
        artisan = s.scalar(select(Artisan))
        assert artisan.consent_version == "hunar-consent-v1" and artisan.consent_at is not None
        event = s.scalar(select(Event).where(Event.kind == "artisan.consent"))
        assert event.data["version"] == "hunar-consent-v1" and event.data["text_key"] == "consent_v1"


def test_delete_my_data_asks_first_then_erases_the_person_and_withdraws_listings(app, caplog):
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client())
    list_a_product(phone)
    with services.db.session() as s:
        keys = [d["key"] for p in s.scalars(select(Photo)) for d in p.files.values()]
        assert keys and all(services.media_store.exists(k) for k in keys)
        assert s.scalar(select(Listing)).status in ("review", "published")

    phone.say("मेरा डेटा हटाओ")
    with services.db.session() as s:
        assert s.scalar(select(Artisan)).name == "सुनीता देवी", "nothing is deleted before the artisan confirms"
    with caplog.at_level(logging.INFO):
        phone.say("हाँ")
    assert phone.replies, "the artisan is told their data is gone"

    with services.db.session() as s:
        artisan = s.scalar(select(Artisan))
        assert artisan.deleted_at is not None
        assert (artisan.name, artisan.district, artisan.craft, artisan.phone, artisan.profile_name) == (None,) * 5
        assert phone.number not in artisan.address
        assert s.scalars(select(Photo)).all() == []
        listing = s.scalar(select(Listing))
        assert listing.status == "withdrawn" and listing.fields == {}
        bodies = [m.body for m in s.scalars(select(Message).where(Message.direction == "in"))]
        assert all(b == "" for b in bodies[:-1]), "what the artisan wrote is gone"
        deleted = s.scalar(select(Event).where(Event.kind == "artisan.deleted"))
        assert deleted.data == {}, "the deletion is logged without the data"
    assert not any(services.media_store.exists(k) for k in keys), "photo files are deleted"
    assert "सुनीता" not in caplog.text and phone.number[3:] not in caplog.text

    phone.say("नमस्ते")
    assert "मेरा डेटा हटाओ" in phone.text, "a later hello starts afresh, with consent"


def test_voice_notes_expire_after_the_retention_period(make_app):
    clock = Clock()
    app = make_app(config={"RAW_MEDIA_RETENTION_DAYS": 30}, services={"clock": clock})
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")
    phone.send_media(b"OggS\x00\x02" + bytes(300), "audio/ogg")
    with services.db.session() as s:
        key = next(i["key"] for m in s.scalars(select(Message)) for i in m.media or [] if i.get("key"))
    assert services.media_store.exists(key)
    clock.advance(timedelta(days=29))
    assert jobs.expire_raw_media(services) == 0
    clock.advance(timedelta(days=2))
    assert jobs.expire_raw_media(services) == 1
    assert not services.media_store.exists(key)
    with services.db.session() as s:
        media = [i for m in s.scalars(select(Message)) for i in m.media or []]
        assert media and all(i.get("expired") and "key" not in i for i in media)
