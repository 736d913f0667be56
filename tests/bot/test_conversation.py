"""The first path from a chat message to a reply, on SQLite+fakeredis and on PostgreSQL+Redis."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from db.models import Artisan, Message, Photo
from fakes.images import encode, product_photo
from tests.support.whatsapp import WhatsApp

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture(params=["embedded", "services"])
def stack_app(request, make_app):
    return make_app(request.param)


def test_hello_gets_a_hindi_greeting_and_a_photo_is_kept(stack_app):
    phone = WhatsApp(stack_app.test_client())
    replies = phone.say("नमस्ते")
    assert len(replies) == 1
    assert "नमस्ते" in replies[0]["text"] and DEVANAGARI.search(replies[0]["text"])
    assert [b["title"] for b in replies[0]["buttons"]] == ["हाँ", "नहीं"]

    state = phone.state()
    assert state["conversation"]["flow"] == "onboarding"
    assert state["conversation"]["step"] == "consent"
    assert state["conversation"]["mode"] == "bot"

    jpeg = encode(product_photo(1200, 900))
    phone.send_photo(jpeg)
    with stack_app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(Photo)) is None, "nothing is stored before consent"
    phone.say("हाँ")
    with stack_app.extensions["hunar"].db.session() as s:
        photo = s.scalar(select(Photo))
        assert photo is not None and photo.verdict in ("ok", "tip")
        assert photo.width == 1200 and photo.height == 900
        stored = stack_app.extensions["hunar"].media_store.get(photo.files["main"]["key"])
        assert stored[:2] == b"\xff\xd8"
        inbound = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()
        assert [m.status for m in inbound] == ["processed", "processed", "processed"]
        assert not any(m.media and "staged" in m.media[0] and stack_app.extensions["hunar"].media_store.exists(
            m.media[0]["staged"]) for m in inbound), "raw uploads are deleted once processed"


def test_the_same_artisan_is_one_person_on_whatsapp_and_sms(app):
    client = app.test_client()
    WhatsApp(client, number="+919812300001").say("नमस्ते")
    WhatsApp(client, number="+919812300001", channel="sms").say("नमस्ते")
    with app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(func.count(Artisan.id))) == 1


def test_control_characters_are_dropped_at_the_door(stack_app):
    phone = WhatsApp(stack_app.test_client())
    phone.say("नम\x00स्ते\x07\u200b")
    assert phone.replies
    with stack_app.extensions["hunar"].db.session() as s:
        body = s.scalar(select(Message.body).where(Message.direction == "in"))
    assert body == "नमस्ते\u200b", "NUL and bell go; a zero-width space is text (the NLU folds it)"


def _newcomer_says(app, sid: str, number: str = "+919812377701"):
    from bot.web.webhook import parse
    from tests.support.twilio import Twilio

    return app.extensions["hunar"].inbox.record(parse(Twilio.form(f"whatsapp:{number}", "नमस्ते",
                                                                        MessageSid=sid, SmsSid=sid)))


def test_a_newcomers_first_message_is_recorded_with_them_in_one_statement(stack_app):
    from sqlalchemy import event

    from db.models import Conversation

    statements = []
    engine = stack_app.extensions["hunar"].db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        conversation_id, message_id = _newcomer_says(stack_app, "SM" + "1" * 32)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    if engine.dialect.name == "postgresql":
        assert len(statements) == 2, "the known-artisan insert finds nobody, then one statement makes all three"
    with stack_app.extensions["hunar"].db.session() as s:
        artisan = s.scalar(select(Artisan))
        conv = s.get(Conversation, conversation_id)
        message = s.get(Message, message_id)
        assert (artisan.address, artisan.wa_id, artisan.profile_name, artisan.language) == (
            "whatsapp:+919812377701", "919812377701", "Sunita", "hi")
        assert conv.artisan_id == artisan.id and conv.mode == "bot" and conv.slots == {} and conv.context == {}
        assert (message.conversation_id, message.status, message.body) == (conv.id, "received", "नमस्ते")
    assert _newcomer_says(stack_app, "SM" + "1" * 32) is None, "a repeat is still recorded once"


def test_a_newcomers_first_messages_racing_make_one_artisan(stack_app):
    import threading

    start, got = threading.Barrier(6), []

    def say(n):
        start.wait()
        got.append(_newcomer_says(stack_app, f"SM{n:032d}"))

    threads = [threading.Thread(target=say, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({ids[0] for ids in got}) == 1 and len({ids[1] for ids in got}) == 6
    with stack_app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(func.count(Artisan.id))) == 1
