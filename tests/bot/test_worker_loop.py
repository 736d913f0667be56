"""`python -m bot.worker`'s loop: RQ ends its work loop on any error, a lost Redis among them; the process starts
working again under a new name once Redis answers, and stops only when asked (or at a burst's end)."""
from __future__ import annotations

from datetime import datetime, timezone

import fakeredis
import redis
from rq import Queue
from rq.worker import SimpleWorker

from bot import worker as worker_process


def test_a_worker_stopped_by_errors_works_again_under_a_new_name_until_asked_to_stop(monkeypatch):
    queue = Queue("heal-test", connection=fakeredis.FakeRedis())
    names, pauses = [], []

    def work(self, **options):
        names.append(self.name)
        if len(names) == 1:
            raise redis.ConnectionError("its clean-up could not reach Redis")
        if len(names) == 3:
            self._shutdown_requested_date = datetime.now(timezone.utc)  # what RQ's SIGTERM handler does
        return False  # RQ logged "found an unhandled exception, quitting" and broke its loop

    monkeypatch.setattr(SimpleWorker, "work", work)
    monkeypatch.setattr(worker_process, "wait_for_redis", lambda client, pause: pauses.append(pause))
    worker_process.work(queue, burst=False, scheduler=False, verbose=False)
    assert len(names) == 3 and len(set(names)) == 3, "a fresh name each time: RQ refuses a live one"
    assert all(name.startswith("heal-test-") for name in names)
    assert pauses == [0.5, 1.0], "backing off between short-lived attempts; none after the stop"


def test_a_burst_ends_with_its_queue(monkeypatch):
    queue = Queue("heal-test", connection=fakeredis.FakeRedis())
    runs = []
    monkeypatch.setattr(SimpleWorker, "work", lambda self, **options: runs.append(options["burst"]))
    worker_process.work(queue, burst=True, scheduler=False, verbose=False)
    assert runs == [True]


def test_waiting_for_redis_ends_when_it_answers():
    class Flaky:
        def __init__(self):
            self.pings = 0

        def ping(self):
            self.pings += 1
            if self.pings < 3:
                raise redis.ConnectionError("still away")
            return True

    client = Flaky()
    worker_process.wait_for_redis(client, 0.01)
    assert client.pings == 3


def test_a_worker_that_cannot_even_register_tries_again(monkeypatch):
    queue = Queue("heal-test", connection=fakeredis.FakeRedis())
    made, pauses = [], []

    class Worker(SimpleWorker):
        def __init__(self, *args, **kwargs):
            made.append(kwargs["name"])
            if len(made) == 1:
                raise redis.ConnectionError("Redis refused the worker's CLIENT SETNAME")
            super().__init__(*args, **kwargs)

        def work(self, **options):
            self._shutdown_requested_date = datetime.now(timezone.utc)
            return False

    monkeypatch.setattr(worker_process, "SimpleWorker", Worker)
    monkeypatch.setattr(worker_process, "wait_for_redis", lambda client, pause: pauses.append(pause))
    worker_process.work(queue, burst=False, scheduler=False, verbose=False)
    assert len(made) == 2 and pauses == [0.5]
