"""The per-conversation lock: one holder at a time, waiters served in arrival order, a dead holder skipped."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from bot.locks import ConversationLock, LockTimeout
from tests.support.redis_trips import record_round_trips


def lock_on(any_redis, **options) -> ConversationLock:
    return ConversationLock(any_redis, prefix=f"test:{uuid.uuid4().hex[:8]}:", **options)


def test_holders_take_turns_in_the_order_they_asked(any_redis):
    lock = lock_on(any_redis, poll=0.05)
    order, inside = [], []
    first = threading.Event()

    def work(n: int):
        with lock.hold(7):
            inside.append(n)
            assert len(inside) == 1, "two holders at once"
            if n == 0:
                first.set()
                time.sleep(0.2)  # the others queue up behind the first holder meanwhile
            order.append(n)
            inside.pop()

    threads = [threading.Thread(target=work, args=(0,))]
    threads[0].start()
    first.wait(2)
    queue = f"{lock.prefix}lock:7:queue"
    for n in range(1, 6):
        threads.append(threading.Thread(target=work, args=(n,)))
        threads[-1].start()
        _wait_for(lambda: any_redis.llen(queue) == n + 1)  # a clear arrival order: it has joined the queue
    for thread in threads:
        thread.join(30)
    assert order == [0, 1, 2, 3, 4, 5]


def _wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def test_other_conversations_do_not_wait(any_redis):
    lock = lock_on(any_redis)
    with lock.hold(1):
        start = time.monotonic()
        with lock.hold(2):
            pass
        assert time.monotonic() - start < 1


def test_a_crashed_holder_is_waited_out_and_a_waiter_gives_up_in_time(any_redis):
    lock = lock_on(any_redis, timeout=0.5, wait=0.3, poll=0.05)
    lock.acquire(3, "crashed")  # acquired and never released: its process died
    with pytest.raises(LockTimeout):
        lock.acquire(3, "impatient")
    time.sleep(0.6)  # the dead holder's lock expires
    patient = lock_on(any_redis, timeout=0.5, wait=3, poll=0.05)
    patient.prefix = lock.prefix
    with patient.hold(3):
        pass


def test_release_leaves_nothing_behind(any_redis):
    lock = lock_on(any_redis)
    with lock.hold(9):
        pass
    assert not list(any_redis.scan_iter(f"{lock.prefix}*"))


def test_an_uncontended_hold_is_one_round_trip_in_and_one_out(any_redis, monkeypatch):
    lock = lock_on(any_redis)
    with lock.hold(1):
        pass  # Redis learns the scripts
    trips = record_round_trips(monkeypatch)
    with lock.hold(2):
        assert trips == ["EVALSHA"]
    assert trips == ["EVALSHA", "EVALSHA"]
