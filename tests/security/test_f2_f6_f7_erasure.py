"""F2, F6, F7: erasure and a refused consent leave nothing of the person but the record that it happened."""
from __future__ import annotations

import os
import time
from datetime import timedelta

from sqlalchemy import select

from bot import jobs
from db import Base
from db.models import Artisan, ConsentRefusal, Event, Message, Photo
from fakes.images import encode, product_photo
from tests.security.helpers import stored_files
from tests.support.clock import Clock
from tests.support.desk import conversation_id
from tests.support.whatsapp import WhatsApp, list_a_product

VOICE = b"OggS\x00\x02" + b"sunita-voice" + bytes(300)
PDF = b"%PDF-1.4\n% sunita's price list\n" + bytes(200)
VCARD = b"BEGIN:VCARD\nVERSION:3.0\nFN:Sunita Devi\nTEL:+919812345678\nEND:VCARD\n"


def every_row(app, besides: int | None = None) -> dict[str, list[str]]:
    """Every row of every table as text (walked from the metadata, so new tables count too); rows of conversation
    `besides` (another artisan's, whose messages quote the bot's example answers) are left out."""
    with app.extensions["hunar"].db.engine.connect() as conn:
        return {table.name: [repr(tuple(row.values())) for row in conn.execute(table.select()).mappings()
                             if besides is None or row.get("conversation_id") != besides]
                for table in Base.metadata.sorted_tables}


def _found(app, needles, besides: int | None = None) -> list[tuple[str, str]]:
    return [(table, row) for table, rows in every_row(app, besides).items() for row in rows
            if any(needle in row for needle in needles)]


def test_f2_f6_erasure_leaves_only_the_redacted_record_in_storage_and_every_table(app, agent):
    control = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "कमला", "पानीपत", "दरी बुनाई"):
        control.say(text)
    control.send_media(b"OggS\x00\x02" + b"control-voice" + bytes(300), "audio/ogg")
    kept_for_control = set(stored_files(app))

    phone = WhatsApp(app.test_client())
    list_a_product(phone)  # सुनीता देवी of हिसार: a durrie with three photos, submitted
    for data, kind in ((VOICE, "audio/ogg"), (PDF, "application/pdf"), (VCARD, "text/vcard")):
        phone.send_media(data, kind)
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/note", {"body": "Alt number 9812345678, lives near the Shiv temple in Hisar"})
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "name", "value": "सुनीता रानी"})
    agent.post(f"/helpdesk/c/{cid}/hand-back", {"step": "menu"})
    needles = [phone.number[3:], "9812345678", "सुनीता", "हिसार", "Sunita", "Hisar", "Shiv", "रानी"]
    other = conversation_id(app, control.number)
    assert len(_found(app, needles, other)) > 10 and len(stored_files(app)) > len(kept_for_control) + 10  # there is data

    phone.say("मेरा डेटा हटाओ")
    phone.say("हाँ")
    assert "हटा" in phone.text

    assert set(stored_files(app)) == kept_for_control, "every file the artisan sent is gone, the other's stay"
    assert _found(app, needles, other) == []
    with app.extensions["hunar"].db.session() as s:
        erased = s.scalar(select(Artisan).where(Artisan.deleted_at.is_not(None)))
        events = list(s.scalars(select(Event).where(Event.artisan_id == erased.id)))
        assert [e.data for e in events if e.kind == "artisan.deleted"] == [{}]
        assert all(v == "[erased]" or not isinstance(v, str) for e in events for v in e.data.values())
        texts = [m.body for m in s.scalars(select(Message).where(Message.conversation_id == cid))]
        assert all(t == "" for t in texts[:-1])  # the last is the reply confirming the erasure, to no one now
        assert all(not m.extra for m in s.scalars(select(Message).where(Message.conversation_id == cid)))
    assert agent.get(f"/helpdesk/c/{cid}").status_code == 200  # staff see an empty, erased conversation


def test_f7_a_photo_before_consent_is_held_and_a_refusal_leaves_only_a_hashed_record(app):
    phone = WhatsApp(app.test_client())
    phone.say("नमस्ते, मैं सुनीता, हिसार से")
    photo = encode(product_photo(1000, 750))
    phone.send_photo(photo)
    with app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(Photo)) is None, "nothing derived from a photo before consent"
    assert [k for k in stored_files(app) if not k.startswith("incoming/")] == []  # only the raw upload, held
    phone.say("नहीं")
    assert "मिटा" in phone.text
    assert stored_files(app) == {}
    assert _found(app, [phone.number[3:], "सुनीता", "हिसार"]) == []
    with app.extensions["hunar"].db.session() as s:
        [refusal] = s.scalars(select(ConsentRefusal)).all()
        assert len(refusal.number_hmac) == 64 and refusal.consent_version == "hunar-consent-v1"
    phone.say("नमस्ते")
    assert "मंज़ूर" in phone.text or "राज़ी" in phone.text, "writing again starts afresh with consent"


def test_f7_a_photo_sent_before_consent_is_used_once_consent_is_given(app):
    phone = WhatsApp(app.test_client())
    phone.say("नमस्ते")
    phone.send_photo(encode(product_photo(1000, 750)))
    for text in ("हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    state = phone.state()
    assert state["conversation"]["step"] == "photos" and len(state["draft"]["photos"]) == 1, state["draft"]
    assert not any(k.startswith("incoming/") for k in stored_files(app)), "the held upload went once taken"


def test_f7_a_first_contact_that_never_answers_is_forgotten_after_a_week(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    phone = WhatsApp(app.test_client())
    phone.say("नमस्ते, मैं सुनीता")
    phone.send_photo(encode(product_photo(1000, 750)))
    clock.advance(timedelta(days=6))
    assert jobs.forget_unanswered_consent(app.extensions["hunar"]) == 0
    clock.advance(timedelta(days=2))
    assert jobs.forget_unanswered_consent(app.extensions["hunar"]) == 1
    assert stored_files(app) == {} and _found(app, [phone.number[3:], "सुनीता"]) == []


def _age(app, keys, days: float) -> None:
    """Date stored files back, as if written `days` ago (the sweep reads the store's own times)."""
    root = app.extensions["hunar"].media_store.root
    then = time.time() - days * 86400
    for key in keys:
        os.utime(os.path.join(root, *key.split("/")), (then, then))


def test_f2_the_sweep_finds_orphaned_files_by_walking_storage(app):
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    phone.send_photo(encode(product_photo(1000, 750)))
    phone.send_media(VOICE, "audio/ogg")
    in_use = set(stored_files(app))
    orphans = ["private/ab/" + "ab" * 32 + ".ogg", "media/cd/" + "cd" * 32 + ".pdf", "ef/01/" + "ef" * 32 + "_320.jpg",
               "incoming/" + "0" * 32]
    for key in orphans:  # what an erasure by an earlier version, or a crash, left with no row pointing at it
        services.media_store.put(key, b"left behind", "application/octet-stream")
    assert jobs.sweep_media(services) == 0, "a fresh file may still be waiting for its row: a day's grace"
    _age(app, orphans + sorted(in_use), days=2)
    assert jobs.sweep_media(services) == len(orphans)
    assert set(stored_files(app)) == in_use
    voice = next(k for k, v in stored_files(app).items() if v == VOICE)
    _age(app, [voice], days=31)  # past HUNAR_RAW_MEDIA_RETENTION_DAYS, whatever its row says
    assert jobs.sweep_media(services) == 1 and set(stored_files(app)) == in_use - {voice}
