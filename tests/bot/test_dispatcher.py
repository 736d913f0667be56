"""Exactly once and in order: duplicates do nothing, concurrent messages keep their order."""
from __future__ import annotations

import threading

from sqlalchemy import select

from bot.inbound import InboundMessage
from db.models import Message


def _inbound(text: str, sid: str, number: str = "+919812345678") -> InboundMessage:
    return InboundMessage(address=f"whatsapp:{number}", channel="whatsapp", text=text, sid=sid, source="simulator")


def test_a_duplicate_inbound_id_is_processed_once(app):
    services = app.extensions["hunar"]
    first = services.dispatcher.receive(_inbound("नमस्ते", "SM" + "1" * 32))
    assert first is not None
    services.dispatcher.process(first[0])
    again = services.dispatcher.receive(_inbound("नमस्ते", "SM" + "1" * 32))
    assert again is None
    services.dispatcher.process(first[0])
    with services.db.session() as s:
        rows = s.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.direction, m.status) for m in rows] == [("in", "processed"), ("out", "delivered")]
    assert len(services.simulator_outbox.sent) == 1


def test_a_redelivery_after_processing_sends_nothing_new(app):
    services = app.extensions["hunar"]
    ids = services.dispatcher.receive(_inbound("नमस्ते", "SM" + "2" * 32))
    services.dispatcher.process(ids[0])
    sent = len(services.simulator_outbox.sent)
    for _ in range(3):
        assert services.dispatcher.receive(_inbound("नमस्ते", "SM" + "2" * 32)) is None
        services.dispatcher.process(ids[0])
    assert len(services.simulator_outbox.sent) == sent


def test_two_threads_sending_to_one_conversation_keep_both_messages_in_order(app):
    number = "+919812340000"
    texts = ["नमस्ते", "हाँ", "सुनीता देवी", "हिसार"]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(batch: list[str]) -> None:
        client = app.test_client()
        try:
            barrier.wait()
            for text in batch:
                resp = client.post("/simulator/api/messages", json={"from": number, "text": text})
                assert resp.status_code == 200, resp.get_json()
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(texts[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    with app.extensions["hunar"].db.session() as s:
        rows = s.scalars(select(Message).order_by(Message.id)).all()
    inbound = [m for m in rows if m.direction == "in"]
    assert sorted(m.body for m in inbound) == sorted(texts)
    assert all(m.status == "processed" for m in inbound)
    # Handled in arrival order: processing times follow ids, and each reply answers an earlier-or-same message.
    assert [m.processed_at for m in inbound] == sorted(m.processed_at for m in inbound)
    answered = [m.extra["in_reply_to"] for m in rows if m.direction == "out"]
    assert answered == sorted(answered)
    assert set(answered) <= {m.id for m in inbound}
