"""bot/telemetry.py WriteBatch: counters and live events wait for the end of a unit of work, or ride a round trip it needs."""
from __future__ import annotations

import uuid

import pytest
import redis

from bot.telemetry import WriteBatch
from tests.support.own_redis import own_redis  # noqa: F401  (a fixture)
from tests.support.redis_trips import record_round_trips


@pytest.fixture
def key():
    return f"test:writes:{uuid.uuid4().hex[:8]}:"


def test_writes_in_a_batch_go_together_at_its_end(any_redis, key, monkeypatch):
    writes = WriteBatch(any_redis)
    trips = record_round_trips(monkeypatch)
    with writes.batch():
        writes.write(lambda pipe: pipe.incrby(key + "a", 1))
        writes.write(lambda pipe: pipe.incrby(key + "b", 2))
        assert trips == []
    assert trips == [["INCRBY", "INCRBY"]]
    assert (int(any_redis.get(key + "a")), int(any_redis.get(key + "b"))) == (1, 2)
    any_redis.delete(key + "a", key + "b")


def test_send_takes_what_the_batch_queued_along_and_returns_only_its_own_results(any_redis, key, monkeypatch):
    writes = WriteBatch(any_redis)
    trips = record_round_trips(monkeypatch)
    with writes.batch():
        writes.write(lambda pipe: pipe.incrby(key + "counter", 5))
        assert writes.send(lambda pipe: (pipe.incrby(key + "count", 1), pipe.set(key + "flag", 1))) == [1, True]
    assert trips == [["INCRBY", "INCRBY", "SET"]], "one round trip, and none left for the end of the batch"
    assert int(any_redis.get(key + "counter")) == 5
    any_redis.delete(key + "counter", key + "count", key + "flag")


def test_send_raises_its_own_failure_but_the_batch_queued_writes_still_land(any_redis, key):
    writes = WriteBatch(any_redis)
    any_redis.set(key + "text", "not a number")
    with writes.batch():
        writes.write(lambda pipe: pipe.incrby(key + "counter", 1))
        with pytest.raises(redis.ResponseError):
            writes.send(lambda pipe: pipe.incrby(key + "text", 1))
    assert int(any_redis.get(key + "counter")) == 1
    any_redis.delete(key + "counter", key + "text")


def test_outside_a_batch_send_is_a_pipeline_of_its_own(any_redis, key):
    writes = WriteBatch(any_redis)
    assert writes.send(lambda pipe: (pipe.incrby(key + "n", 2), pipe.incrby(key + "n", 3))) == [2, 5]
    any_redis.delete(key + "n")


def test_a_send_that_failed_while_redis_was_down_is_not_replayed_when_it_returns(own_redis):
    """The load report's run 4a: a webhook's round trip fails, Redis comes back before the request ends, and the
    batch's end must not send the failed commands (a "drain queued" flag with no job behind it)."""
    client = redis.Redis.from_url(own_redis.url)
    client.ping()
    own_redis.kill()
    writes = WriteBatch(client)
    with writes.batch():
        with pytest.raises(redis.ConnectionError):
            writes.send(lambda pipe: (pipe.zadd("t:ready", {"7": 1}, nx=True), pipe.set("t:drain", 1, nx=True)))
        own_redis.start()  # back, empty, before the request ends
        writes.write(lambda pipe: pipe.incrby("t:later", 1))  # what the request writes after the failure
    assert client.get("t:drain") is None and client.zcard("t:ready") == 0
    assert client.get("t:later") == b"1", "the batch itself still works"
    client.close()
