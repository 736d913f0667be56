"""bot/heal.py: a worker's watchdog queues the drain job a flag promised, and re-queues from the database what a
Redis restart forgot."""
from __future__ import annotations

import multiprocessing
from datetime import timedelta

import redis
from rq.job import Job
from rq.scheduler import RQScheduler
from rq.worker import SimpleWorker

from bot.heal import STALE_SECONDS, UNHANDLED_SECONDS, Watchdog
from bot.inbox import InboundMessage


def queued_app(make_app):
    app = make_app("embedded", config={"JOBS_INLINE": False})
    return app.extensions["hunar"]


def queued_functions(services) -> list[str]:
    return [job.func_name.rsplit(".", 1)[-1] for job in services.jobs.queue.jobs]


def test_a_flag_naming_a_job_rq_does_not_have_is_replaced_by_a_drain_job(make_app):
    services = queued_app(make_app)
    inbox = services.inbox
    services.redis.zadd(inbox.ready_key, {"7": services.clock().timestamp()})
    services.redis.set(inbox.drain_key, "a-job-lost-with-its-request", ex=10)  # the report's replayed pipeline
    watchdog = Watchdog(services)
    assert watchdog.drain_if_stuck() is True
    assert queued_functions(services) == ["drain_ready"]
    flag = services.redis.get(inbox.drain_key).decode()
    assert Job.fetch(flag, connection=services.redis).func_name == "bot.jobs.drain_ready", "the flag names its job"
    assert watchdog.drain_if_stuck() is False, "a flag whose job is queued is left alone"
    assert services.jobs.queue.count == 1


def test_a_webhooks_flag_and_job_are_left_alone(make_app):
    services = queued_app(make_app)
    services.inbox.queue(7)
    assert Watchdog(services).drain_if_stuck() is False
    assert services.jobs.queue.count == 1


def test_ready_conversations_nobody_takes_get_a_drain_job_once_they_have_waited(make_app):
    services = queued_app(make_app)
    inbox, watchdog = services.inbox, Watchdog(services)
    now = services.clock().timestamp()
    services.redis.zadd(inbox.ready_key, {"7": now})
    assert watchdog.drain_if_stuck() is False, "just marked: a running drain job is on its way to it"
    services.redis.zadd(inbox.ready_key, {"8": now - STALE_SECONDS - 1})  # its job's worker was killed
    assert watchdog.drain_if_stuck() is True
    assert queued_functions(services) == ["drain_ready"]


def _received(services, sid: str, age: float) -> int:
    """A message recorded `age` seconds ago and never handled (its job was lost); its conversation's id."""
    msg = InboundMessage(address="whatsapp:+919812345670", channel="whatsapp", text="नमस्ते", sid=sid,
                         received_at=services.clock() - timedelta(seconds=age))
    return services.inbox.record(msg).conversation_id


def test_redis_back_empty_re_queues_the_waiting_messages_once_per_pass(make_app):
    services = queued_app(make_app)
    conversation_id = _received(services, "SM-old", age=30)
    first, second = Watchdog(services), Watchdog(services)  # two worker processes
    first.look()  # the marker is missing: this Redis is new to us
    second.look()
    assert queued_functions(services) == ["process_conversation"], "one worker's pass, not one per worker"
    assert services.jobs.queue.jobs[0].args == (conversation_id,)

    services.jobs.queue.empty()
    services.redis.flushall()  # Redis restarted empty: ready set, queue and delayed jobs are gone
    first.look()
    assert queued_functions(services) == ["process_conversation"]


def test_recovery_leaves_a_photo_waiting_for_its_album_alone(make_app):
    services = queued_app(make_app)
    _received(services, "SM-just-now", age=0.5)  # younger than ALBUM_DEBOUNCE_SECONDS + 1
    Watchdog(services).look()
    assert services.jobs.queue.count == 0


def test_a_watchdog_that_cannot_reach_redis_recovers_when_it_answers_again(make_app, monkeypatch):
    services = queued_app(make_app)
    watchdog = Watchdog(services)
    watchdog.look()
    assert watchdog.recover_until and services.jobs.queue.count == 0
    watchdog.recover_until = 0.0
    conversation_id = _received(services, "SM-during-outage", age=30)  # its webhook could not queue it

    def down(*args, **kwargs):
        raise redis.ConnectionError("Redis went away")

    monkeypatch.setattr(watchdog, "drain_if_stuck", down)
    watchdog.look()
    assert watchdog.down
    monkeypatch.undo()
    services.redis.delete(watchdog.turn)
    watchdog.look()
    assert not watchdog.down and [job.args for job in services.jobs.queue.jobs] == [(conversation_id,)]


def test_rqs_scheduler_process_dead_after_an_outage_is_started_again(make_app):
    services = queued_app(make_app)
    worker = SimpleWorker([services.jobs.queue], connection=services.redis)
    worker.scheduler = RQScheduler([services.jobs.queue], connection=services.redis)
    dead = multiprocessing.get_context("fork").Process(target=int)  # exits at once, as it did on the outage
    dead.start()
    dead.join()
    worker.scheduler._process = dead
    watchdog = Watchdog(services)
    watchdog.watch(worker)
    try:
        assert watchdog.keep_scheduler() is True
        assert worker.scheduler._process is not dead and worker.scheduler._process.is_alive()
        assert watchdog.keep_scheduler() is False, "a live scheduler is left alone"
    finally:
        worker.scheduler._process.terminate()
        worker.scheduler._process.join(timeout=10)


def test_a_sweep_queues_messages_no_job_holds_and_leaves_ready_or_locked_ones_alone(make_app):
    services = queued_app(make_app)
    watchdog = Watchdog(services)
    services.redis.set(watchdog.marker, 1)  # not after an outage: only the sweep may queue anything
    orphan = _received(services, "SM-orphan", age=UNHANDLED_SECONDS + 5)  # its worker was SIGKILLed
    ready = InboundMessage(address="whatsapp:+919812345671", channel="whatsapp", text="नमस्ते", sid="SM-ready",
                           received_at=services.clock() - timedelta(seconds=UNHANDLED_SECONDS + 5))
    ready_id = services.inbox.record(ready).conversation_id
    services.redis.zadd(services.inbox.ready_key, {str(ready_id): services.clock().timestamp()})  # a drain is due
    held = InboundMessage(address="whatsapp:+919812345672", channel="whatsapp", text="नमस्ते", sid="SM-held",
                          received_at=services.clock() - timedelta(seconds=UNHANDLED_SECONDS + 5))
    held_id = services.inbox.record(held).conversation_id
    services.redis.set(services.lock.holder_key(held_id), "a-live-worker", px=30_000)  # being handled now
    photo = InboundMessage(address="whatsapp:+919812345673", channel="whatsapp", text="", sid="SM-photo",
                           received_at=services.clock() - timedelta(seconds=UNHANDLED_SECONDS + 5))
    services.inbox.albums.bump(services.inbox.record(photo).conversation_id)  # its album's job waits in the queue
    _received(services, "SM-new", age=1)  # too young to be stuck
    assert watchdog.sweep() == [orphan]
    assert Watchdog(services).sweep() == [], "one worker's sweep per pass"
    assert "resume_conversation" in queued_functions(services)


def test_a_conversation_whose_handling_failed_is_tried_again_in_seconds(make_app, monkeypatch):
    from bot import jobs

    services = queued_app(make_app)
    later = []
    monkeypatch.setattr(services.jobs, "enqueue_in", lambda seconds, job, *args: later.append((seconds, job, args)))
    for _ in range(jobs.FAILED_RETRIES + 1):
        jobs.retry_failed(services, 7)
    assert [seconds for seconds, _, _ in later] == [1, 2, 4, 8, 16, 32], "then left to recover_stalled"
    assert {(job, args) for _, job, args in later} == {(jobs.retry_conversation, (7,))}


def test_an_album_or_retry_job_that_fails_is_tried_again_not_left_to_rq(make_app, monkeypatch):
    """A PostgreSQL cut failed every album job running then: nothing but a sweep that skips queued albums (and
    cron's two minutes) would have found them."""
    from bot import jobs

    services = queued_app(make_app)
    later = []
    monkeypatch.setattr(services.jobs, "enqueue_in", lambda seconds, job, *args: later.append((seconds, job, args)))

    def cut(conversation_id, services=None):
        raise OSError("server closed the connection unexpectedly")

    monkeypatch.setattr(jobs, "process_conversation", cut)
    seq = services.inbox.albums.bump(8)
    jobs.process_album(8, seq, services=services)
    jobs.retry_conversation(8, services=services)
    assert later == [(1, jobs.retry_conversation, (8,)), (2, jobs.retry_conversation, (8,))]
