"""Exactly once and in order: duplicates do nothing, concurrent messages keep their order."""
from __future__ import annotations

import threading

from sqlalchemy import select

from bot.inbox import InboundMessage
from db.models import Message


def _inbound(text: str, sid: str, number: str = "+919812345678") -> InboundMessage:
    return InboundMessage(address=f"whatsapp:{number}", channel="whatsapp", text=text, sid=sid, source="simulator")


def test_a_duplicate_inbound_id_is_processed_once(app):
    services = app.extensions["hunar"]
    first = services.inbox.record(_inbound("नमस्ते", "SM" + "1" * 32))
    assert first is not None
    services.turns.process(first[0])
    again = services.inbox.record(_inbound("नमस्ते", "SM" + "1" * 32))
    assert again is None
    services.turns.process(first[0])
    with services.db.session() as s:
        rows = s.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.direction, m.status) for m in rows] == [("in", "processed"), ("out", "delivered")]
    assert len(services.simulator_outbox.sent) == 1


def test_a_redelivery_after_processing_sends_nothing_new(app):
    services = app.extensions["hunar"]
    ids = services.inbox.record(_inbound("नमस्ते", "SM" + "2" * 32))
    services.turns.process(ids[0])
    sent = len(services.simulator_outbox.sent)
    for _ in range(3):
        assert services.inbox.record(_inbound("नमस्ते", "SM" + "2" * 32)) is None
        services.turns.process(ids[0])
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


def test_a_message_the_engine_fails_on_goes_to_staff_and_the_others_are_still_answered(app, monkeypatch):
    """Three messages wait; the engine breaks on the middle one. Only that one is given up (flagged for staff,
    the artisan told a person will help); the first and the last are handled and answered, in order."""
    import flows
    from bot import turns as turns_module
    from db.models import Conversation

    services = app.extensions["hunar"]
    real_step = flows.step

    def step(state, inbound, parse):
        if inbound.text == "boom":
            raise RuntimeError("engine bug")
        return real_step(state, inbound, parse)

    monkeypatch.setattr(turns_module.flows, "step", step)
    ids = [services.inbox.record(_inbound(text, f"SM{n:032d}"))
           for n, text in enumerate(["नमस्ते", "boom", "हाँ"], start=1)]
    services.turns.process(ids[0][0])
    with services.db.session() as s:
        inbound = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()
        out = s.scalars(select(Message).where(Message.direction == "out").order_by(Message.id)).all()
        conv = s.get(Conversation, ids[0][0])
    assert [m.status for m in inbound] == ["processed", "error", "processed"]
    assert [m.extra["in_reply_to"] for m in out] == [m.id for m in inbound]
    assert out[1].body == flows.prompts.say("bot_error", "hi")
    assert conv.flag_reason == "bot_error" and conv.step == "name", "the third answer still moved the listing on"
    assert [m.status for m in out] == ["delivered"] * 3


def test_everything_one_look_finds_is_marked_handled_in_one_update(app):
    from sqlalchemy import event

    services = app.extensions["hunar"]
    ids = [services.inbox.record(_inbound(text, f"SM{n:032d}", number="+919812350000"))
           for n, text in enumerate(["नमस्ते", "हाँ", "सुनीता देवी"])]
    updates = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE MESSAGES"):
            updates.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", count)
    try:
        services.turns.process(ids[0][0], send=False)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", count)
    assert len(updates) == 1, updates
    with services.db.session() as s:
        inbound = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()
        replies = s.scalars(select(Message).where(Message.direction == "out")).all()
    assert [m.status for m in inbound] == ["processed"] * 3 and len(replies) == 3


def test_the_replies_of_one_look_are_one_insert_in_the_order_they_were_said(app):
    from sqlalchemy import event

    services = app.extensions["hunar"]
    ids = [services.inbox.record(_inbound(text, f"SM{n:032d}", number="+919812350001"))
           for n, text in enumerate(["नमस्ते", "हाँ", "सुनीता देवी"])]
    inserts = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO MESSAGES"):
            inserts.append(len(parameters) if executemany else 1)

    event.listen(services.db.engine, "before_cursor_execute", count)
    try:
        services.turns.process(ids[0][0], send=False)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", count)
    with services.db.session() as s:
        replies = s.scalars(select(Message).where(Message.direction == "out").order_by(Message.id)).all()
    assert inserts == [len(replies)] and len(replies) >= 3, inserts
    assert [m.extra["in_reply_to"] for m in replies] == sorted(m.extra["in_reply_to"] for m in replies)
    assert {m.extra["in_reply_to"] for m in replies} == {message_id for _, message_id in ids}
    assert all(m.status == "pending" and m.author == "bot" and m.extra["to"] == "whatsapp:+919812350001"
               for m in replies)
