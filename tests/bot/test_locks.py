"""The per-conversation lock: one holder at a time, waiters served in arrival order, a dead holder skipped."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from bot.locks import ConversationLock, LockTimeout
from tests.support.redis_trips import record_round_trips
from tests.support.waiting import wait_until


def lock_on(any_redis, **options) -> ConversationLock:
    return ConversationLock(any_redis, prefix=f"test:{uuid.uuid4().hex[:8]}:", **options)


def test_holders_take_turns_in_the_order_they_asked(any_redis):
    lock = lock_on(any_redis, poll=0.05)
    queue = f"{lock.prefix}lock:7:queue"  # the waiting tokens, the holder's first (ConversationLock's docstring)
    order, inside = [], []
    holding, everyone_waits = threading.Event(), threading.Event()

    def work(n: int):
        with lock.hold(7):
            inside.append(n)
            assert len(inside) == 1, "two holders at once"
            if n == 0:
                holding.set()
                everyone_waits.wait(60)  # the others queue up behind the first holder meanwhile
            order.append(n)
            inside.pop()

    threads = [threading.Thread(target=work, args=(0,))]
    threads[0].start()
    assert holding.wait(60)
    for n in range(1, 6):
        threads.append(threading.Thread(target=work, args=(n,)))
        threads[-1].start()
        wait_until(lambda: any_redis.llen(queue) == n + 1, 60, f"waiter {n} in the queue")  # a clear arrival order
    everyone_waits.set()
    for thread in threads:
        thread.join(60)
    assert order == [0, 1, 2, 3, 4, 5]


def test_other_conversations_do_not_wait(any_redis):
    lock = lock_on(any_redis)
    with lock.hold(1):
        start = time.monotonic()
        with lock.hold(2):
            pass
        assert time.monotonic() - start < 10  # waiting for conversation 1 would take its holder's 30 s


def test_a_crashed_holder_is_waited_out_and_a_waiter_gives_up_in_time(any_redis):
    # The dead holder's lock lasts 3 s: long past the impatient waiter's 0.3 s even on a loaded machine.
    lock = lock_on(any_redis, timeout=3, wait=0.3, poll=0.05)
    lock.acquire(3, "crashed")  # acquired and never released: its process died
    with pytest.raises(LockTimeout):
        lock.acquire(3, "impatient")
    patient = lock_on(any_redis, timeout=3, wait=60, poll=0.05)  # waits until the dead holder's lock expires
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
