"""Queuing a conversation's job: a burst of messages makes one job until that job starts."""
from __future__ import annotations

from bot import jobs


def test_a_burst_makes_one_job_until_it_starts(make_app):
    app = make_app("embedded", config={"JOBS_INLINE": False})
    services = app.extensions["hunar"]
    for _ in range(5):
        jobs.queue_conversation(services, 7)
    jobs.queue_conversation(services, 8)
    assert services.jobs.queue.count == 2, "one job per conversation while it waits"
    services.redis.delete(jobs._queued_key(services, 7))  # the first thing the job does when it starts
    jobs.queue_conversation(services, 7)
    assert services.jobs.queue.count == 3, "a message after the job started gets a job of its own"


def test_a_failed_queue_leaves_no_flag_behind(make_app, monkeypatch):
    app = make_app("embedded", config={"JOBS_INLINE": False})
    services = app.extensions["hunar"]

    def refuse(*args, **kwargs):
        raise ConnectionError("redis went away")

    monkeypatch.setattr(services.jobs, "enqueue", refuse)
    try:
        jobs.queue_conversation(services, 9)
    except ConnectionError:
        pass
    monkeypatch.undo()
    jobs.queue_conversation(services, 9)
    assert services.jobs.queue.count == 1, "the next message queues a job again"
