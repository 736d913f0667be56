"""Each reply reaches Twilio once, even when the worker dies or PostgreSQL goes away between Twilio's accept and
our record of it: the intent is committed first, and an interrupted send is looked up in Twilio's list."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import update

from bot import jobs
from bot.outbox import Sending
from db.models import Message
from tests.support.twilio import Twilio, artisan_and_conversation, messages, twilio_settings

ARTISAN = "whatsapp:+919812345678"


class Killed(BaseException):
    """The worker dies here (a SIGKILL, as far as the database and Twilio can tell)."""


@pytest.fixture
def dies_after_twilio_accepts(monkeypatch):
    """The next reply is taken by Twilio, and the process dies before its record commits."""
    record = Sending._sent
    calls = []

    def die_once(self, *args, **kwargs):
        if not calls:
            calls.append(args)
            raise Killed()
        return record(self, *args, **kwargs)

    monkeypatch.setattr(Sending, "_sent", die_once)
    return calls


def _say_and_die(twilio, text="नमस्ते"):
    with pytest.raises(Killed):
        twilio.say(text)


def test_a_worker_killed_between_twilios_accept_and_the_record_sends_the_reply_once(
        twilio_app, twilio, fake_twilio, dies_after_twilio_accepts):
    _say_and_die(twilio)
    [out] = messages(twilio_app, "out")
    assert out.status == "sending" and out.twilio_sid is None and out.idempotency_token.startswith("send:")
    assert len(fake_twilio.accepted) == 1

    _, conv = artisan_and_conversation(twilio_app, ARTISAN)
    jobs.flush_conversation(conv.id, services=twilio_app.extensions["hunar"])  # what recovery runs

    [out] = messages(twilio_app, "out")
    [taken] = fake_twilio.accepted
    assert (out.status, out.twilio_sid, out.attempts) == ("queued", taken["sid"], 1)
    assert len(fake_twilio.sent) == 1, "looked up in Twilio's list, not sent again"
    listed = fake_twilio.requests("GET", fake_twilio.messages_path)
    assert listed and "To=whatsapp%3A%2B919812345678" in listed[0].target


def test_a_reply_that_never_reached_twilio_is_sent_after_the_look_up(twilio_app, twilio, fake_twilio):
    twilio.say("नमस्ते")
    [first] = messages(twilio_app, "out")
    services = twilio_app.extensions["hunar"]
    _, conv = artisan_and_conversation(twilio_app, ARTISAN)
    with services.db.session() as s:  # the same words again, its intent committed, then the worker died
        s.add(Message(conversation_id=conv.id, direction="out", channel="whatsapp", author="bot", body=first.body,
                      extra={**first.extra, "sending_at": datetime.now(timezone.utc).isoformat()},
                      status="sending", created_at=datetime.now(timezone.utc)))
    jobs.flush_conversation(conv.id, services=services)
    first, second = messages(twilio_app, "out")
    assert second.status == "queued" and second.twilio_sid not in (None, first.twilio_sid)
    assert [m["sid"] for m in fake_twilio.accepted] == [first.twilio_sid, second.twilio_sid]
    once, again = (m["body"] for m in fake_twilio.accepted)
    assert once == again and once.startswith(first.body), "the same words, told apart by the SID already recorded"


def test_a_create_whose_answer_timed_out_is_looked_up_not_sent_again(make_app, fake_twilio, cdn):
    app = make_app("embedded", twilio_settings(fake_twilio, cdn, TWILIO_TIMEOUT_SECONDS=0.3))
    fake_twilio.latency = 1.0  # Twilio takes the message, its answer comes after we gave up
    Twilio(app.test_client()).say("नमस्ते")
    fake_twilio.latency = 0.0
    [out] = messages(app, "out")
    assert out.status == "queued" and out.attempts == 2  # the timed-out try, then the look-up that found it
    assert [m["sid"] for m in fake_twilio.accepted] == [out.twilio_sid]
    assert len(fake_twilio.sent) == 1


def test_postgres_lost_after_the_send_does_not_send_again(twilio_app, twilio, fake_twilio, monkeypatch):
    """The record of a sent reply fails (the database went away): the next flush finds it at Twilio."""
    from sqlalchemy.exc import OperationalError

    record = Sending._sent

    def connection_lost(self, *args, **kwargs):
        monkeypatch.setattr(Sending, "_sent", record)
        raise OperationalError("UPDATE messages", {}, ConnectionResetError("server closed the connection"))

    monkeypatch.setattr(Sending, "_sent", connection_lost)
    assert twilio.say("नमस्ते").status_code == 200  # the message is kept; its reply left, unrecorded
    [out] = messages(twilio_app, "out")
    assert out.status == "sending" and len(fake_twilio.accepted) == 1
    twilio.say("हाँ")  # the artisan's next message flushes the conversation: the first reply is found, not re-sent
    outs = messages(twilio_app, "out")
    assert all(m.status == "queued" for m in outs)
    assert [m["sid"] for m in fake_twilio.accepted] == [m.twilio_sid for m in outs]


def test_stalled_replies_include_interrupted_sends(twilio_app, twilio, fake_twilio, dies_after_twilio_accepts):
    from datetime import timedelta

    from bot import periodic

    _say_and_die(twilio)
    services = twilio_app.extensions["hunar"]
    with services.db.session() as s:
        s.execute(update(Message).where(Message.direction == "out")
                  .values(created_at=datetime.now(timezone.utc) - timedelta(minutes=5)))
    _, unsent = periodic.stalled(services, older_than=timedelta(minutes=2))
    _, conv = artisan_and_conversation(twilio_app, ARTISAN)
    assert unsent == {conv.id}
    jobs.recover_stalled(services=services)
    [out] = messages(twilio_app, "out")
    assert out.status == "queued" and len(fake_twilio.accepted) == 1
