"""The inbound webhook: every kind of message becomes one recorded InboundMessage; repeats do nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.web.webhook import parse
from db.models import Artisan, Message
from fakes.images import encode, product_photo
from fakes.twilio import TOKEN
from tests.support.twilio import Twilio, artisan_and_conversation, messages


def test_text_is_recorded_processed_and_answered_through_twilio(twilio_app, twilio, fake_twilio):
    resp = twilio.say("नमस्ते", ProfileName="सुनीता", UnknownNewField="whatever")
    assert resp.status_code == 200 and resp.mimetype == "text/xml"
    assert resp.data.decode().endswith("<Response/>")
    inbound = messages(twilio_app, "in")
    assert [(m.body, m.status, m.channel) for m in inbound] == [("नमस्ते", "processed", "whatsapp")]
    sent = fake_twilio.sent
    assert len(sent) == 1
    create = sent[0]
    assert create.one("To") == "whatsapp:+919812345678" and create.one("From") == "whatsapp:+14155238886"
    assert create.one("StatusCallback") == "https://hunar.example/webhooks/twilio/status"
    assert create.auth == ("AC" + "a" * 32, TOKEN)
    # quick replies are sent as a numbered list when no quick-reply content is configured
    assert "नमस्ते" in create.one("Body") and "\n1. " in create.one("Body") and "\n2. " in create.one("Body")
    out = messages(twilio_app, "out")
    assert out[0].status == "queued" and out[0].twilio_sid.startswith("SM") and out[0].attempts == 1
    artisan, _ = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert artisan.profile_name == "सुनीता" and artisan.phone == "+919812345678" and artisan.wa_id == "919812345678"


def test_a_redelivery_answers_200_and_does_nothing(twilio_app, twilio, fake_twilio):
    form = twilio.form(body="नमस्ते")
    assert twilio.post(form).status_code == 200
    for _ in range(3):
        again = twilio.post(form)
        assert again.status_code == 200 and again.data.decode().endswith("<Response/>")
    assert len(messages(twilio_app, "in")) == 1 and len(fake_twilio.sent) == 1


def test_the_idempotency_token_catches_a_retry_with_another_sid(twilio_app, twilio, fake_twilio):
    headers = {"I-Twilio-Idempotency-Token": "b3f0c7f6-5d2c-4a55-9c7e-0c5b9b6f1a11"}
    assert twilio.post(twilio.form(body="नमस्ते"), headers=headers).status_code == 200
    assert twilio.post(twilio.form(body="नमस्ते"), headers=headers).status_code == 200
    assert len(messages(twilio_app, "in")) == 1 and len(fake_twilio.sent) == 1


def test_image_with_caption_is_one_photo_message(twilio_app, twilio, fake_twilio):
    url = fake_twilio.media(encode(product_photo(1000, 750)))
    assert twilio.photo(url, caption="मेरी दरी").status_code == 200
    [msg] = messages(twilio_app, "in")
    assert msg.body == "मेरी दरी" and msg.media[0]["content_type"] == "image/jpeg"
    assert msg.media[0]["url"] == url and msg.status == "processed"


def _form(**fields) -> dict:
    return Twilio.form(**fields)


def test_parse_voice_note_location_button_sms_and_bsuid():
    voice = parse(_form(body="", NumMedia="1", MediaUrl0="https://api.twilio.com/x/Media/ME1",
                        MediaContentType0="audio/ogg", MessageType="audio"))
    assert voice.media[0].kind == "audio" and voice.text == "" and voice.extra["type"] == "audio"

    place = parse(_form(body="", Latitude="29.1492", Longitude="75.7217", Address="हिसार", Label="घर",
                        MessageType="location"))
    assert place.location == (29.1492, 75.7217) and place.extra["place"] == "हिसार"
    assert parse(_form(Latitude="north", Longitude="75")).location is None

    tap = parse(_form(body="", ButtonPayload="intent:affirm", ButtonText="हाँ", MessageType="interactive",
                      OriginalRepliedMessageSid="MM" + "1" * 32))
    assert tap.button == "intent:affirm" and tap.text == "हाँ" and tap.extra["replied_to"].startswith("MM")

    sms = parse(_form(sender="+919812345678", body="namaste"))
    assert sms.channel == "sms" and sms.address == "+919812345678" and sms.phone == "+919812345678"

    hidden = parse(_form(sender="whatsapp:IN.a8f3kq29xxLMN0", body="नमस्ते", ProfileName="Sunita",
                         ExternalUserId="IN.a8f3kq29xxLMN0"))
    assert hidden.address == "whatsapp:IN.a8f3kq29xxLMN0" and hidden.phone is None
    assert hidden.extra["bsuid"] == "IN.a8f3kq29xxLMN0" and hidden.profile_name == "Sunita"

    nul = parse(_form(body="ab\x00c"))
    assert nul.text == "abc"
    assert parse({"Body": "no sender"}) is None


def test_a_malformed_but_signed_request_gets_empty_twiml_and_stores_nothing(twilio_app, twilio):
    resp = twilio.post({"Body": "x", "AccountSid": "AC" + "a" * 32})
    assert resp.status_code == 200 and resp.mimetype == "text/xml"
    assert messages(twilio_app) == []


def test_one_artisan_across_number_bsuid_and_sms(twilio_app, twilio):
    twilio.say("नमस्ते", sender="whatsapp:+919812300001", ExternalUserId="IN.zz91abcdEF")
    twilio.say("हाँ", sender="whatsapp:IN.zz91abcdEF")  # the number is hidden now: a username was set
    twilio.say("namaste", sender="+919812300001")
    with twilio_app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(func.count(Artisan.id))) == 1
        assert s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 3


def test_failed_media_is_retried_then_the_artisan_is_told(make_app, fake_twilio, cdn):
    from tests.support.twilio import twilio_settings

    app = make_app("embedded", twilio_settings(fake_twilio, cdn, TWILIO_MEDIA_ATTEMPTS=3))
    path = "/2010-04-01/Accounts/ACx/Messages/MMx/Media/MEbroken"
    url = fake_twilio.route(path, (503, {}, b"busy"))
    phone = Twilio(app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")
    before = len(fake_twilio.sent)
    phone.photo(url)
    assert len(fake_twilio.requests("GET", path)) == 3  # tried three times
    assert len(fake_twilio.sent) > before  # and the artisan got an answer (the flow words it)


def test_a_known_artisans_message_is_recorded_in_one_statement(twilio_app, twilio):
    """The door's common case is one INSERT (no look-ups, no transaction around it), so acks stay fast."""
    from sqlalchemy import event

    twilio.say("नमस्ते")  # first contact: the artisan and their conversation are made
    services = twilio_app.extensions["hunar"]
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", count)
    try:
        ids = services.inbox.record(parse(Twilio.form(body="हाँ")))
        repeat = Twilio.form(body="हाँ")
        services.inbox.record(parse(repeat))
        statements_before_repeat = len(statements)
        assert services.inbox.record(parse(repeat)) is None
    finally:
        event.remove(services.db.engine, "before_cursor_execute", count)
    assert ids is not None and statements_before_repeat == 2
    assert all(s.lstrip().upper().startswith("INSERT INTO MESSAGES") for s in statements[:2])
    assert len(messages(twilio_app, "in")) == 3, "the repeat is not stored twice"


def test_acknowledging_a_webhook_is_timed_and_its_message_counted(twilio_app, twilio):
    twilio.say("नमस्ते")
    twilio.say("हाँ")
    text = twilio_app.test_client().get("/metrics").get_data(as_text=True)
    assert "hunar_webhook_seconds_count 2.0" in text
    assert 'hunar_webhook_seconds_bucket{le="+Inf"} 2.0' in text
    assert 'hunar_messages_total{channel="whatsapp",direction="in"} 2.0' in text



def test_webhooks_get_no_session_and_set_no_cookie(twilio_app, twilio):
    from flask import session

    with twilio_app.test_request_context("/webhooks/twilio", method="POST"):
        assert twilio_app.session_interface.is_null_session(session)
    with twilio_app.test_request_context("/helpdesk/login"):
        assert not twilio_app.session_interface.is_null_session(session)
    twilio.client.set_cookie("hunar_session", "not-a-signed-session")
    resp = twilio.say("नमस्ते")
    assert resp.status_code == 200 and "Set-Cookie" not in resp.headers
    assert len(messages(twilio_app, "in")) == 1


def test_a_text_webhook_is_one_redis_round_trip_when_a_drain_job_waits(make_app, monkeypatch, fake_twilio, cdn):
    from tests.support.redis_trips import record_round_trips
    from tests.support.twilio import twilio_settings

    app = make_app("embedded", {**twilio_settings(fake_twilio, cdn), "JOBS_INLINE": False})
    phone = Twilio(app.test_client())
    phone.say("नमस्ते")  # the artisan is known from now on, and a drain job waits
    trips = record_round_trips(monkeypatch)
    assert phone.say("हाँ").status_code == 200
    assert len(trips) == 1, trips
    assert "PUBLISH" in trips[0] and "HINCRBYFLOAT" in trips[0], "the counters and the live event ..."
    assert trips[0][-4:] == ["INCRBY", "EXPIRE", "ZADD", "SET"], "... with the count and the ready mark"
    assert app.extensions["hunar"].jobs.queue.count == 1, "the waiting drain job takes this one too"
