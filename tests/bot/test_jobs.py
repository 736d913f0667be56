"""Queuing work: ready conversations wait in Redis, and one drain job takes them all, oldest first."""
from __future__ import annotations

from bot import jobs


def queued_app(make_app):
    app = make_app("embedded", config={"JOBS_INLINE": False})
    return app, app.extensions["hunar"]


def test_a_burst_makes_one_job_until_it_starts(make_app):
    app, services = queued_app(make_app)
    for _ in range(5):
        services.inbox.queue(7)
    services.inbox.queue(8)
    assert services.jobs.queue.count == 1, "one drain job while it waits, for every ready conversation"
    assert services.inbox.waiting() == 2, "each conversation is ready once, however many messages it has"
    services.inbox.start_draining()  # the first thing the job does when it starts
    services.inbox.queue(9)
    assert services.jobs.queue.count == 2, "a message after the job started gets a job of its own"


def test_a_failed_queue_leaves_no_flag_behind(make_app, monkeypatch):
    app, services = queued_app(make_app)

    def refuse(*args, **kwargs):
        raise ConnectionError("redis went away")

    monkeypatch.setattr(services.jobs, "enqueue", refuse)
    try:
        services.inbox.queue(9)
    except ConnectionError:
        pass
    monkeypatch.undo()
    services.inbox.queue(9)
    assert services.jobs.queue.count == 1, "the next message queues a job again"


def test_a_drain_job_takes_the_oldest_first_and_goes_on_past_a_failure(make_app, monkeypatch):
    app, services = queued_app(make_app)
    taken = []

    def process(conversation_id, services=None):
        taken.append(conversation_id)
        if conversation_id == 5:
            raise RuntimeError("the engine broke on this one")

    monkeypatch.setattr(jobs, "process_conversation", process)
    now = services.clock()
    for n, cid in enumerate((5, 3, 8)):
        services.redis.zadd(services.inbox.ready_key, {str(cid): now.timestamp() + n})
    assert jobs.drain_ready(services=services) == 3
    assert taken == [5, 3, 8] and services.inbox.waiting() == 0


def test_a_long_drain_hands_the_rest_to_a_fresh_job(make_app, monkeypatch):
    app, services = queued_app(make_app)
    monkeypatch.setattr(jobs, "process_conversation", lambda conversation_id, services=None: None)
    for cid in (1, 2, 3):
        services.inbox.queue(cid)
    ticks = iter([0.0, 1.0, jobs.DRAIN_HANDOVER_SECONDS + 1])
    assert jobs.drain_ready(services=services, clock=lambda: next(ticks)) == 1
    assert services.inbox.waiting() == 2 and services.jobs.queue.count == 2, "a fresh job is queued for the rest"
