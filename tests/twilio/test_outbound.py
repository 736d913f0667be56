"""Replies through Twilio: retries, permanent errors, the 24-hour window and templates, status, opt-out, limits."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from bot.delivery import moves_forward
from bot.outbox import OutboundMessage, RecipientOptedOut, SendError
from bot.twilio_api import SendBucket
from bot.twilio_api import TwilioSender
from db.models import Conversation, Message
from fakes.twilio import ACCOUNT, TOKEN
from tests.support.twilio import Twilio, artisan_and_conversation, messages

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def sender(fake_twilio):
    return TwilioSender(account_sid=ACCOUNT, auth_token=TOKEN, public_base_url="https://hunar.example",
                        whatsapp_from="whatsapp:+14155238886", sms_from="+15005550006",
                        templates={"resume": "HX" + "1" * 32}, api_base=fake_twilio.url, clock=lambda: NOW)


def _msg(**kw) -> OutboundMessage:
    base = dict(message_id=1, address="whatsapp:+919812345678", channel="whatsapp", text="नमस्ते",
                last_inbound_at=NOW - timedelta(hours=1))
    return OutboundMessage(**{**base, **kw})


def test_inside_the_window_text_and_media_go_with_a_status_callback(sender, fake_twilio):
    result = sender.send(_msg(media_urls=("https://hunar.example/media/a.jpg",)))
    assert result.status == "queued" and result.sid.startswith("SM")
    [req] = fake_twilio.sent
    assert req.form["Body"] == ["नमस्ते"] and req.form["MediaUrl"] == ["https://hunar.example/media/a.jpg"]
    assert req.one("StatusCallback") == "https://hunar.example/webhooks/twilio/status"


def test_outside_the_window_free_text_is_refused_with_a_reason(sender, fake_twilio):
    with pytest.raises(SendError) as err:
        sender.send(_msg(last_inbound_at=NOW - timedelta(hours=25)))
    assert err.value.permanent and err.value.code == "outside_window" and "24-hour" in str(err.value)
    with pytest.raises(SendError, match="outside_window|24-hour"):
        sender.send(_msg(last_inbound_at=None))
    assert fake_twilio.sent == []


def test_outside_the_window_a_template_goes_without_body(sender, fake_twilio):
    sender.send(_msg(last_inbound_at=NOW - timedelta(days=3), template={"name": "resume",
                                                                        "variables": {"1": "सुनीता"}}))
    sender.send(_msg(last_inbound_at=None, template={"sid": "HX" + "2" * 32, "variables": {"1": "राम"}}))
    first, second = fake_twilio.sent
    assert first.one("ContentSid") == "HX" + "1" * 32 and "Body" not in first.form and "MediaUrl" not in first.form
    assert json.loads(first.one("ContentVariables")) == {"1": "सुनीता"}
    assert second.one("ContentSid") == "HX" + "2" * 32
    with pytest.raises(SendError, match="no approved template named 'nudge'"):
        sender.send(_msg(template={"name": "nudge"}))


def test_sms_has_no_window(sender, fake_twilio):
    sender.send(_msg(address="+919812345678", channel="sms", last_inbound_at=None))
    assert fake_twilio.sent[0].one("From") == "+15005550006"


@pytest.mark.parametrize("status, code, permanent, kind", [
    (400, 21610, True, RecipientOptedOut), (400, 21211, True, SendError), (400, 63016, True, SendError),
    (429, 20429, False, SendError), (503, 20500, False, SendError), (400, 63018, False, SendError),
])
def test_vendor_errors_become_send_errors(sender, fake_twilio, status, code, permanent, kind):
    fake_twilio.fail_next(status, code)
    with pytest.raises(kind) as err:
        sender.send(_msg())
    assert err.value.permanent is permanent and err.value.code == str(code)


def test_network_errors_are_transient(fake_twilio):
    dead = TwilioSender(account_sid=ACCOUNT, auth_token=TOKEN, public_base_url="https://h", whatsapp_from="w",
                        sms_from=None, api_base="http://127.0.0.1:9", clock=lambda: NOW, timeout=1)
    with pytest.raises(SendError) as err:
        dead.send(_msg())
    assert not err.value.permanent and err.value.code == "network"


def test_a_twilio_that_does_not_answer_in_time_is_a_transient_error(fake_twilio):
    fake_twilio.latency = 1.5
    slow = TwilioSender(account_sid=ACCOUNT, auth_token=TOKEN, public_base_url="https://h",
                        whatsapp_from="whatsapp:+14155238886", sms_from=None, api_base=fake_twilio.url,
                        clock=lambda: NOW, timeout=0.3)
    with pytest.raises(SendError) as err:
        slow.send(_msg())
    assert not err.value.permanent and err.value.code == "network"


def test_several_photos_go_as_repeated_media_urls_with_basic_auth(sender, fake_twilio):
    urls = ("https://hunar.example/media/a.jpg", "https://hunar.example/media/b.jpg")
    assert sender.send(_msg(media_urls=urls)).status == "queued"  # the fake answers 401 without the account's auth
    [req] = fake_twilio.sent
    assert req.form["MediaUrl"] == list(urls) and req.auth == (ACCOUNT, TOKEN)


def test_a_503_is_retried_with_every_attempt_recorded(twilio_app, twilio, fake_twilio):
    fake_twilio.fail_next(503, 20500, times=2)
    twilio.say("नमस्ते")
    [out] = messages(twilio_app, "out")
    assert out.status == "queued" and out.attempts == 3 and out.twilio_sid
    assert len(fake_twilio.sent) == 3


def test_permanent_errors_are_never_retried_and_flag_the_conversation(twilio_app, twilio, fake_twilio):
    fake_twilio.fail_next(400, 21211, "invalid To")
    twilio.say("नमस्ते")
    [out] = messages(twilio_app, "out")
    assert (out.status, out.error_code, out.attempts) == ("failed", "21211", 1)
    assert len(fake_twilio.sent) == 1
    _, conv = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert conv.flag_reason == "send_failed"


def test_21610_opts_the_artisan_out_until_they_write_again(twilio_app, twilio, fake_twilio):
    fake_twilio.fail_next(400, 21610, "blocked")
    twilio.say("नमस्ते")
    artisan, _ = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert artisan.opted_out_at is not None
    twilio.say("हाँ")  # they write again: messages flow again
    artisan, _ = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert artisan.opted_out_at is None and messages(twilio_app, "out")[-1].status == "queued"


@pytest.mark.parametrize("word", ["STOP", "बंद", "मैसेज मत भेजो"])
def test_stop_words_stop_every_send_until_the_artisan_writes_again(twilio_app, twilio, fake_twilio, word):
    twilio.say("नमस्ते")
    twilio.say(word)
    sent = len(fake_twilio.sent)  # the confirmation of STOP is the last thing sent
    artisan, conv = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert artisan.opted_out_at is not None
    services = twilio_app.extensions["hunar"]
    with services.db.session() as s:  # a reply queued later (e.g. by staff or a nudge) is not sent
        s.add(Message(conversation_id=conv.id, direction="out", channel="whatsapp", author="bot", body="x",
                      extra={"to": artisan.address, "via": "twilio"}, status="pending",
                      created_at=datetime.now(timezone.utc) + timedelta(seconds=1)))
    services.sending.flush(conv.id)
    assert len(fake_twilio.sent) == sent
    assert messages(twilio_app, "out")[-1].status == "skipped"
    twilio.say("नमस्ते")
    artisan, _ = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert artisan.opted_out_at is None and len(fake_twilio.sent) > sent


# --- status callbacks -------------------------------------------------------------------------------


@pytest.mark.parametrize("current, new, moves", [
    ("queued", "sent", True), ("sent", "delivered", True), ("delivered", "read", True),
    ("read", "delivered", False), ("delivered", "sent", False), ("delivered", "failed", False),
    ("sent", "undelivered", True), ("failed", "delivered", False), ("queued", "bogus", False),
    ("pending", "queued", True), ("queued", "queued", False),
])
def test_status_only_moves_forward(current, new, moves):
    assert moves_forward(current, new) is moves


def test_status_callbacks_out_of_order(twilio_app, twilio):
    twilio.say("नमस्ते")
    [out] = messages(twilio_app, "out")
    for state in ("delivered", "sent", "queued", "read", "delivered", "failed"):
        resp = twilio.status(out.twilio_sid, state)
        assert resp.status_code == 200 and resp.data == b""
    [out] = messages(twilio_app, "out")
    assert out.status == "read"


def test_a_failed_delivery_keeps_its_code_and_tells_staff(twilio_app, twilio):
    twilio.say("नमस्ते")
    [out] = messages(twilio_app, "out")
    twilio.status(out.twilio_sid, "sent")
    twilio.status(out.twilio_sid, "undelivered", ErrorCode="63016", ChannelStatusMessage="outside window")
    twilio.status(out.twilio_sid, "delivered")
    [out] = messages(twilio_app, "out")
    assert (out.status, out.error_code) == ("undelivered", "63016")
    _, conv = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert conv.flag_reason == "send_failed" and "63016" in conv.flag_detail


def test_a_21610_status_opts_out(twilio_app, twilio):
    twilio.say("नमस्ते")
    [out] = messages(twilio_app, "out")
    twilio.status(out.twilio_sid, "failed", ErrorCode="21610")
    artisan, _ = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    assert artisan.opted_out_at is not None


def test_a_status_for_an_unknown_message_is_accepted(twilio_app, twilio):
    assert twilio.status("SM" + "9" * 32, "delivered").status_code == 200


# --- the window, end to end ---------------------------------------------------------------------


def test_a_reply_after_the_window_closed_is_refused_and_staff_see_why(twilio_app, twilio, fake_twilio):
    twilio.say("नमस्ते")
    services = twilio_app.extensions["hunar"]
    artisan, conv = artisan_and_conversation(twilio_app, "whatsapp:+919812345678")
    with services.db.session() as s:
        s.execute(update(Conversation).where(Conversation.id == conv.id)
                  .values(last_inbound_at=datetime.now(timezone.utc) - timedelta(hours=30)))
        s.add(Message(conversation_id=conv.id, direction="out", channel="whatsapp", author="staff", body="x",
                      extra={"to": artisan.address, "via": "twilio"}, status="pending",
                      created_at=datetime.now(timezone.utc)))
    sent = len(fake_twilio.sent)
    services.sending.flush(conv.id)
    assert len(fake_twilio.sent) == sent
    last = messages(twilio_app, "out")[-1]
    assert (last.status, last.error_code) == ("failed", "outside_window")


# --- rate limits -----------------------------------------------------------------------------------


def test_a_flood_from_one_number_is_recorded_but_not_run_through_the_bot(make_app, fake_twilio, cdn):
    from tests.support.clock import Clock
    from tests.support.twilio import twilio_settings

    # A stopped clock: the flood falls in one rate window however slowly this machine sends it.
    app = make_app("embedded", twilio_settings(fake_twilio, cdn, INBOUND_RATE_LIMIT=5), services={"clock": Clock()})
    phone = Twilio(app.test_client())
    for n in range(100):
        assert phone.say(f"hello {n}").status_code == 200
    inbound = messages(app, "in")
    assert len(inbound) == 100
    assert [m.status for m in inbound].count("processed") == 5
    assert {m.status for m in inbound[5:]} == {"skipped"} and inbound[50].error_code == "rate_limited"
    notices = [m for m in messages(app, "out") if (m.extra or {}).get("notice") == "slow_down"]
    assert len(notices) == 1 and notices[0].status == "queued"
    other = Twilio(app.test_client())
    other.say("नमस्ते", sender="whatsapp:+919800000001")  # another artisan is not slowed down
    assert messages(app, "in")[-1].status == "processed"


def test_the_send_bucket_allows_the_rate_and_makes_the_rest_wait(twilio_app):
    frozen = 1_000.0  # a stopped clock: what the bucket allows, not how fast this machine asks
    bucket = SendBucket(twilio_app.extensions["hunar"].redis, rate=80, prefix="t:", clock=lambda: frozen)
    waits = [bucket.reserve("whatsapp:+14155238886") for _ in range(120)]
    assert all(w == 0 for w in waits[:80]) and waits[80] == 1 / 80
    assert waits[-1] == 40 / 80  # 40 over the burst at 80/s: half a second
    assert bucket.reserve("whatsapp:+15550000000") == 0  # another sender has its own bucket
    start = time.monotonic()
    slow = SendBucket(twilio_app.extensions["hunar"].redis, rate=20, prefix="s:")
    for _ in range(25):
        assert slow.take("x")
    assert time.monotonic() - start >= 0.2
    assert SendBucket(twilio_app.extensions["hunar"].redis, rate=1, prefix="m:", max_wait=2).reserve("y") == 0
