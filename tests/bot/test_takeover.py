"""bot/liveness.py and bot/takeover.py: what a SIGKILLed worker held is let go of and resumed within seconds, and
a lock let go of while its holder still ran never gets a message answered, or a reply sent, twice."""
from __future__ import annotations

import pytest
from rq.scheduler import RQScheduler
from sqlalchemy import update

from bot import takeover
from bot.inbox import InboundMessage
from bot.liveness import TAKEN, Liveness
from bot.web.simulator import RecordingOutbox
from bot.takeover import UNKNOWN_HOLDER_SECONDS, Takeover
from db.models import Message
from tests.bot.test_heal import queued_app, queued_functions
from tests.support.waiting import wait_until


def worker_process(services) -> Liveness:
    """A worker process's liveness on the app's Redis, beating once (as `python -m bot.worker` does from start)."""
    liveness = Liveness(services.redis, services.inbox.prefix)
    liveness.beat()
    return liveness


def killed(services, liveness: Liveness) -> None:
    """The process stops beating (SIGKILL): its alive key expires."""
    services.redis.delete(liveness.alive_key(liveness.id))


@pytest.fixture
def services(make_app):
    return queued_app(make_app)


def test_a_dead_workers_lock_is_let_go_of_and_its_conversation_resumed_once(services):
    dead, watchdog = worker_process(services), worker_process(services)
    services.lock.holding = dead.holding
    services.lock.acquire(41, "token-of-the-dead")  # it held conversation 41 when it was killed
    services.lock.holding = None
    assert services.redis.exists(services.lock.holder_key(41))
    killed(services, dead)

    assert Takeover(services, watchdog).dead_processes() == [41]
    assert not services.redis.exists(services.lock.holder_key(41)), "let go of at once, not after 30 s"
    assert "resume_conversation" in queued_functions(services)
    assert Takeover(services, worker_process(services)).dead_processes() == [], "claimed by one watchdog only"


def test_a_live_workers_holdings_are_left_alone(services):
    alive, watchdog = worker_process(services), worker_process(services)
    services.lock.holding = alive.holding
    services.lock.acquire(42, "token-of-the-living")
    assert Takeover(services, watchdog).dead_processes() == []
    assert services.redis.exists(services.lock.holder_key(42))
    assert watchdog.held() == {42}, "the sweep leaves it alone too"


def test_a_dead_waiter_leaves_the_queue_and_the_next_is_woken(services):
    dead, watchdog = worker_process(services), worker_process(services)
    services.lock.acquire(43, "the-live-holder")
    services.redis.rpush(f"{services.inbox.prefix}lock:43:queue", "dead-waiter")
    services.redis.hset(dead.holding, "dead-waiter", 43)
    killed(services, dead)
    Takeover(services, watchdog).dead_processes()
    assert services.redis.lrange(f"{services.inbox.prefix}lock:43:queue", 0, -1) == [b"the-live-holder"]


def test_a_conversation_taken_from_the_ready_set_before_its_lock_is_resumed(services):
    dead, watchdog = worker_process(services), worker_process(services)
    services.redis.zadd(services.inbox.ready_key, {"44": 1.0})
    assert dead.take_ready(services.inbox.ready_key) == 44
    assert services.redis.hget(dead.holding, TAKEN) == b"44", "written down in the same step as the take"
    killed(services, dead)
    assert Takeover(services, watchdog).dead_processes() == [44]
    assert watchdog.take_ready(services.inbox.ready_key) is None
    assert not services.redis.hexists(watchdog.holding, TAKEN), "crossed off once nothing is left to take"


def test_a_dead_workers_scheduler_lock_is_broken_so_a_live_one_can_schedule(services):
    dead, watchdog = worker_process(services), worker_process(services)
    key = RQScheduler.get_locking_key(services.jobs.queue.name)
    dead.scheduler_name = lambda: "scheduler-of-the-dead"
    dead.beat()
    services.redis.set(key, "scheduler-of-the-dead", ex=61)  # RQ's lock: a minute before it expires by itself
    live = RQScheduler([services.jobs.queue], connection=services.redis)
    assert Takeover(services, watchdog).free_scheduler(live) is False, "its holder is alive"
    killed(services, dead)
    Takeover(services, watchdog).dead_processes()
    assert not services.redis.exists(key)
    assert Takeover(services, watchdog).free_scheduler(live) is True


def test_a_scheduler_lock_nobody_says_they_hold_is_broken_after_a_grace(services, monkeypatch):
    watchdog = worker_process(services)
    key = RQScheduler.get_locking_key(services.jobs.queue.name)
    services.redis.set(key, "killed-before-its-first-beat", ex=61)
    live = RQScheduler([services.jobs.queue], connection=services.redis)
    clock = [100.0]
    monkeypatch.setattr(takeover.time, "monotonic", lambda: clock[0])
    look = Takeover(services, watchdog)
    assert look.free_scheduler(live) is False, "it may have just started: its beat is on its way"
    clock[0] += UNKNOWN_HOLDER_SECONDS
    assert look.free_scheduler(live) is True and not services.redis.exists(key)


def _message(services, text: str = "नमस्ते") -> int:
    msg = InboundMessage(address="whatsapp:+919812345670", channel="whatsapp", text=text, sid=f"SM-{text}",
                         received_at=services.clock())
    return services.inbox.record(msg).conversation_id


def test_a_turn_whose_messages_another_handler_recorded_first_answers_nothing(services, monkeypatch):
    conversation_id = _message(services)
    handle_all = services.turns._handle_all

    def other_handler_commits_first(session, conv, artisan, pending):
        with services.db.session() as other:  # the "dead" holder was only slow, and records them now
            other.execute(update(Message).where(Message.id.in_([m.id for m in pending])).values(status="processed"))
            other.commit()
        handle_all(session, conv, artisan, pending)

    monkeypatch.setattr(services.turns, "_handle_all", other_handler_commits_first)
    assert services.turns.process(conversation_id, send=False) is False
    with services.db.session() as session:
        assert session.query(Message).filter_by(direction="out").count() == 0, "its replies rolled back"


def test_a_reply_another_flush_claimed_is_not_sent_again(services, monkeypatch):
    from bot import outbox

    conversation_id = _message(services)
    services.turns.process(conversation_id, send=False)
    outbound = outbox._outbound

    def claimed_meanwhile(row, to):
        with services.db.session() as other:  # another flush took the reply between our read and our claim
            other.execute(update(Message).where(Message.id == row.id).values(
                status="sending", idempotency_token="send:the-other-flush"))
            other.commit()
        return outbound(row, to)

    monkeypatch.setattr(outbox, "_outbound", claimed_meanwhile)
    twilio = RecordingOutbox()
    monkeypatch.setitem(services.outboxes, "twilio", twilio)
    assert services.sending.flush(conversation_id) is False
    [reply] = [m for m in messages_of(services) if m.direction == "out"]
    assert (reply.status, reply.idempotency_token) == ("sending", "send:the-other-flush")
    assert twilio.sent == [], "the other flush sends it"


def messages_of(services) -> list[Message]:
    with services.db.session() as session:
        return list(session.query(Message).order_by(Message.id))


def test_a_workers_failed_send_is_retried_by_its_own_timer_and_written_down_meanwhile(services, monkeypatch):
    from bot.send_threads import SendingThreads

    services.liveness = worker_process(services)
    threads = SendingThreads(services, 1)
    flushed = []
    monkeypatch.setattr(threads, "_flush", lambda cid, scheduled, resume, field: (
        flushed.append((cid, scheduled)), threads._let_go(field)))
    threads.later(30, 45)
    assert set(services.redis.hvals(services.liveness.holding)) == {b"45"}, "a dead worker's retry is resumed"
    threads.later(0, 46)
    wait_until(lambda: flushed == [(46, True)], 10, "the due retry sent on a sending thread")
    wait_until(lambda: set(services.redis.hvals(services.liveness.holding)) == {b"45"}, 10, "crossed off")
    assert threads.waiting() == 1 and services.jobs.queue.count == 0, "no RQ job: never behind drain jobs"


def test_a_worker_without_a_scheduler_starts_one_once_the_dead_holders_lock_is_broken(services):
    from rq.worker import SimpleWorker

    from bot.heal import Watchdog

    dead = worker_process(services)
    dead.scheduler_name = lambda: "scheduler-of-the-dead"
    dead.beat()
    key = RQScheduler.get_locking_key(services.jobs.queue.name)
    services.redis.set(key, "scheduler-of-the-dead", ex=61)
    services.liveness = worker_process(services)
    worker = SimpleWorker([services.jobs.queue], connection=services.redis)
    worker.scheduler = RQScheduler([services.jobs.queue], connection=services.redis)  # it lost the race at start
    watchdog = Watchdog(services)
    watchdog.watch(worker)
    try:
        assert watchdog.keep_scheduler() is False, "the other worker's scheduler runs"
        killed(services, dead)
        watchdog.look()
        process = worker.scheduler._process
        assert process is not None and process.is_alive(), "delayed jobs go on within a look, not a minute"
        assert services.redis.get(key).decode() == worker.scheduler.name
        assert watchdog.scheduler_name() == worker.scheduler.name, "its heartbeat names it from now on"
    finally:
        if worker.scheduler._process is not None:
            worker.scheduler._process.terminate()
            worker.scheduler._process.join(timeout=10)
