"""Periodic jobs: one reminder for a half-done listing inside the 24-hour window; old upload links go."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import jobs
from db.models import Message, UploadLink
from fakes.images import encode, product_photo
from flows import prompts
from tests.support.clock import Clock
from tests.support.whatsapp import WhatsApp


def _half_done(app) -> WhatsApp:
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        phone.say(text)
    phone.send_photo(encode(product_photo(1200, 900)))
    phone.say("बस")
    assert phone.state()["conversation"]["step"] == "product"
    return phone


def _outbound(app) -> list[Message]:
    with app.extensions["hunar"].db.session() as s:
        return list(s.scalars(select(Message).where(Message.direction == "out").order_by(Message.id)))


def test_a_half_done_listing_gets_one_reminder_inside_the_window(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    services = app.extensions["hunar"]
    _half_done(app)
    before = len(_outbound(app))

    clock.advance(timedelta(hours=2))
    assert jobs.send_reminders(services) == 0, "too soon to remind"

    clock.advance(timedelta(hours=19))  # 21 hours after the artisan's last message
    assert jobs.send_reminders(services) == 1
    sent = _outbound(app)[before:]
    assert len(sent) == 1 and sent[0].status == "delivered"
    nudge_words = [w for w in prompts.catalogue("hi")["nudge"].split() if len(w) > 3][:3]
    assert all(word in sent[0].body for word in nudge_words), sent[0].body

    clock.advance(timedelta(hours=1))
    assert jobs.send_reminders(services) == 0, "at most once"


def test_no_reminder_once_the_window_has_closed(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    _half_done(app)
    clock.advance(timedelta(hours=30))
    assert jobs.send_reminders(app.extensions["hunar"]) == 0


def test_expired_and_used_upload_links_are_deleted(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    services = app.extensions["hunar"]
    phone = WhatsApp(app.test_client(), channel="sms")
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        phone.say(text)
    with services.db.session() as s:
        assert s.scalar(select(func.count(UploadLink.id))) == 1
    assert jobs.cleanup_upload_links(services) == 0, "a live link stays"
    clock.advance(timedelta(hours=25))
    assert jobs.cleanup_upload_links(services) == 1
    with services.db.session() as s:
        assert s.scalar(select(func.count(UploadLink.id))) == 0


def test_messages_a_crashed_worker_left_waiting_are_handled_again(make_app):
    from bot.inbox import InboundMessage

    clock = Clock()
    app = make_app(services={"clock": clock})
    services = app.extensions["hunar"]
    # Recorded, but its job never ran (the worker was killed before it started).
    services.inbox.record(InboundMessage(address="whatsapp:+919812345678", channel="whatsapp",
                                               text="नमस्ते", sid="SM" + "9" * 32, source="simulator"))
    assert jobs.recover_stalled(services) == 0, "too fresh: its own job may still be coming"
    clock.advance(timedelta(minutes=5))
    assert jobs.recover_stalled(services) == 1
    with services.db.session() as s:
        statuses = [(m.direction, m.status) for m in s.scalars(select(Message).order_by(Message.id))]
    assert statuses == [("in", "processed"), ("out", "delivered")]
    assert jobs.recover_stalled(services) == 0
