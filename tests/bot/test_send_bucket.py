"""The outbound token bucket: every worker's sending threads share one sender's rate, each token given once."""
from __future__ import annotations

import threading
import uuid

from bot.twilio_api import SendBucket

SENDER = "whatsapp:+14155238886"


def bucket_on(client, **options) -> SendBucket:
    return SendBucket(client, prefix=f"test:{uuid.uuid4().hex[:8]}:", **options)


def test_threads_racing_for_tokens_each_get_their_own_place_in_line(any_redis):
    frozen = 5_000.0  # a stopped clock: the waits say exactly which place in line each reservation got
    buckets = [bucket_on(any_redis, rate=80, clock=lambda: frozen)]
    buckets += [SendBucket(any_redis, rate=80, prefix=buckets[0].prefix, clock=lambda: frozen) for _ in range(3)]
    waits, start = [], threading.Barrier(4)

    def send(bucket):
        start.wait()
        mine = [bucket.reserve(SENDER) for _ in range(30)]
        waits.extend(mine)

    threads = [threading.Thread(target=send, args=(b,)) for b in buckets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == [0.0] * 80 + [k / 80 for k in range(1, 41)]


def test_tokens_come_back_at_the_rate(any_redis):
    now = [100.0]
    bucket = bucket_on(any_redis, rate=10, burst=2, clock=lambda: now[0])
    assert [bucket.reserve(SENDER) for _ in range(3)] == [0.0, 0.0, 0.1]
    now[0] += 0.5  # five tokens' worth of time, but the bucket holds at most two
    assert [bucket.reserve(SENDER) for _ in range(3)] == [0.0, 0.0, 0.1]


def test_a_wait_longer_than_allowed_reserves_nothing(any_redis):
    bucket = bucket_on(any_redis, rate=1, max_wait=2, clock=lambda: 0.0)
    assert [bucket.reserve(SENDER) for _ in range(3)] == [0.0, 1.0, 2.0]
    assert bucket.reserve(SENDER) is None and bucket.take(SENDER) is False
    assert bucket.reserve("sms:+15550000000") == 0.0, "another sender has its own bucket"


def test_without_a_clock_the_bucket_reads_redis_time(any_redis):
    bucket = bucket_on(any_redis, rate=1000)
    assert bucket.reserve(SENDER) == 0.0 and bucket.take(SENDER) is True
