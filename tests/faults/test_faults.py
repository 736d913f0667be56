"""Faults with real services: Redis restarted mid-conversation, the database gone for a while, a job that crashes."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.inbox import InboundMessage
from bot.web.simulator import RecordingOutbox
from db.models import Message, Photo
from fakes.images import encode, product_photo
from tests.support.own_redis import own_redis  # noqa: F401  (a fixture)
from tests.support.services import DATABASE_URL
from tests.support.whatsapp import WhatsApp


@pytest.fixture
def postgres_app(make_app, own_redis):
    """An app on the real PostgreSQL and a Redis the test controls."""
    if not DATABASE_URL:
        pytest.skip("needs a real PostgreSQL: set DATABASE_URL (.ci/run does)")
    app = make_app("services", config={"REDIS_URL": own_redis.url})
    return app


def test_redis_restarted_mid_conversation_loses_nothing(postgres_app, own_redis):
    phone = WhatsApp(postgres_app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी"):
        phone.say(text)
    assert phone.state()["conversation"]["step"] == "district"

    own_redis.kill()
    resp = phone.client.post("/simulator/api/messages", json={"from": phone.number, "text": "पानीपत"})
    assert resp.status_code == 503, "without Redis a message cannot take its turn; it is kept, not lost"
    own_redis.start()  # an empty Redis: no locks, no queue, no dedupe keys

    phone.say("दरी बुनाई")
    state = phone.state()
    assert state["artisan"]["district"] == "पानीपत", "the message that came while Redis was down was handled"
    assert state["conversation"]["flow"] == "listing"
    with postgres_app.extensions["hunar"].db.session() as s:
        inbound = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()
        assert [m.body for m in inbound] == ["नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"]
        assert all(m.status == "processed" for m in inbound)
        first_sid = inbound[0].twilio_sid
    # Dedupe lives in the database, so it holds across the restart.
    inbox = postgres_app.extensions["hunar"].inbox
    assert inbox.record(InboundMessage(address=phone.address, channel="whatsapp",
                                             text="नमस्ते", sid=first_sid, source="simulator")) is None


class CrashingOutbox(RecordingOutbox):
    """Delivers, but the process 'dies' (an exception that is not a send error) on the chosen send."""

    def __init__(self, crash_on: int | None = None):
        super().__init__()
        self.calls = 0
        self.crash_on = crash_on

    def send(self, message):
        self.calls += 1
        if self.calls == self.crash_on:
            raise SystemExit("worker killed")
        return super().send(message)


def test_a_job_crashing_between_replies_does_not_send_any_reply_twice(make_app):
    outbox = CrashingOutbox()
    app = make_app(services={"outboxes": {"simulator": outbox}})
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client(), channel="sms")  # on SMS the end of onboarding is two messages
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत"):
        phone.say(text)
    ids = services.inbox.record(InboundMessage(address=phone.number, channel="sms",
                                                     text="दरी बुनाई", sid="SM" + "7" * 32, source="simulator"))
    outbox.calls, outbox.crash_on = 0, 2  # this message gets two replies; the worker dies sending the second
    with pytest.raises(SystemExit):
        services.turns.process(ids[0])
    services.turns.process(ids[0])  # the job runs again (RQ retry or the recovery sweep)
    with services.db.session() as s:
        out = s.scalars(select(Message).where(Message.direction == "out", Message.extra["in_reply_to"].as_integer()
                                               == ids[1])).all()
    texts = [m.text for m in outbox.sent if m.in_reply_to == ids[1]]
    assert outbox.calls == 3, "first reply sent once, the crash, then only the second reply"
    assert len(out) == 2 and all(m.status == "delivered" for m in out)
    assert len(texts) == 2 and len(set(texts)) == 2, "each reply sent exactly once"


def test_a_sending_thread_crashing_between_replies_does_not_send_any_reply_twice(make_app):
    outbox = CrashingOutbox()
    app = make_app(services={"outboxes": {"simulator": outbox}})
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client(), channel="sms")
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत"):
        phone.say(text)
    ids = services.inbox.record(InboundMessage(address=phone.number, channel="sms",
                                                     text="दरी बुनाई", sid="SM" + "6" * 32, source="simulator"))
    assert services.turns.process(ids[0], send=False)  # the job: replies written, left to a sending thread
    outbox.calls, outbox.crash_on = 0, 2
    with pytest.raises(SystemExit):
        services.sending.flush(ids[0])  # the sending thread's flush (autocommit) dies on the second reply
    services.sending.flush(ids[0])  # recover_stalled flushes again
    texts = [m.text for m in outbox.sent if m.in_reply_to == ids[1]]
    assert outbox.calls == 3 and len(texts) == 2 and len(set(texts)) == 2, "each reply sent exactly once"


def test_a_job_crashing_while_taking_a_photo_stores_it_once(make_app, monkeypatch):
    app = make_app()
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        phone.say(text)
    staged = services.intake.stage(encode(product_photo(1200, 900)), "image/jpeg")
    from bot.inbox import Attachment

    ids = services.inbox.record(InboundMessage(
        address=phone.address, channel="whatsapp", media=(Attachment("image/jpeg", staged=staged),),
        sid="SM" + "8" * 32, source="simulator"))
    import flows

    real_step = flows.step
    monkeypatch.setattr(flows, "step", lambda *a: (_ for _ in ()).throw(SystemExit("killed mid-job")))
    with pytest.raises(SystemExit):
        services.turns.process(ids[0])
    monkeypatch.setattr(flows, "step", real_step)
    services.turns.process(ids[0])
    with services.db.session() as s:
        assert s.scalar(select(func.count(Photo.id))) == 1
        replies = s.scalars(select(Message).where(Message.direction == "out")).all()
    assert sum(1 for m in replies if (m.extra or {}).get("in_reply_to") == ids[1]) == 1
    assert not services.media_store.exists(staged), "the raw upload is gone once the photo is stored"


def test_postgres_gone_for_a_while_answers_503_and_then_carries_on(make_app, request):
    """While the database is unreachable, messages get 503 (Twilio retries); nothing is half-written."""
    if not DATABASE_URL:
        pytest.skip("needs a real PostgreSQL: set DATABASE_URL (.ci/run does)")
    from urllib.parse import urlsplit

    from tests.support.tcpproxy import TcpProxy

    url = request.getfixturevalue("postgres_url")
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname, parts.port or 5432)
    request.addfinalizer(proxy.close)
    proxied = url.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}")
    app = make_app("services", config={"DATABASE_URL": proxied})
    phone = WhatsApp(app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")

    proxy.cut()
    for _ in range(3):
        resp = phone.client.post("/simulator/api/messages", json={"from": phone.number, "text": "सुनीता देवी"})
        assert resp.status_code == 503 and resp.headers["Retry-After"]
    assert phone.client.get("/readyz").status_code == 503
    proxy.restore()

    phone.say("सुनीता देवी")  # the retry
    assert phone.state()["conversation"]["step"] == "district"
    with app.extensions["hunar"].db.session() as s:
        bodies = [m.body for m in s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id))]
    assert bodies == ["नमस्ते", "हाँ", "सुनीता देवी"], "the refused attempts left nothing behind"


def test_twilio_rate_limiting_every_try_ends_in_a_helpdesk_flag_not_a_loop(make_app):
    """429 on every attempt: retried with backoff up to the limit, then marked failed and flagged for staff."""
    from bot.outbox import MAX_SEND_ATTEMPTS
    from fakes.twilio import FakeHost, FakeTwilio
    from tests.support.twilio import Twilio, artisan_and_conversation, messages, twilio_settings

    fake, cdn = FakeTwilio(), FakeHost()
    try:
        app = make_app("embedded", twilio_settings(fake, cdn))
        fake.fail_next(429, 20429, "Too Many Requests", times=50)
        Twilio(app.test_client()).say("नमस्ते")
        for _ in range(MAX_SEND_ATTEMPTS):  # what the scheduled retries would do, without waiting for them
            from bot import jobs

            jobs.flush_conversation(messages(app, "out")[0].conversation_id, services=app.extensions["hunar"])
        [out] = messages(app, "out")
        assert (out.status, out.error_code, out.attempts) == ("failed", "20429", MAX_SEND_ATTEMPTS)
        assert len(fake.sent) == MAX_SEND_ATTEMPTS
        _, conv = artisan_and_conversation(app, "whatsapp:+919812345678")
        assert conv.flag_reason == "send_failed"
    finally:
        fake.close()
        cdn.close()
