"""Rate limits in Redis, shared by every web process and worker: inbound per artisan, outbound per sender."""
from __future__ import annotations

import time

import redis


class InboundLimit:
    """At most `limit` messages per `window` seconds are handled per sender identity (a fixed window).

    Past that, messages are still recorded (nothing is lost; staff see them) but marked "skipped" instead of
    being run through the engine; the first one over the limit gets a single "please slow down" reply.
    """

    def __init__(self, client, *, limit: int, window: float, prefix: str = "hunar:", clock=None):
        self.redis = client
        self.clock = clock or time.time  # seconds as a float
        self.limit = limit
        self.window = max(1, int(window))
        self.prefix = prefix

    def hit(self, identity: str) -> int:
        """Count one message from `identity`; returns how many it sent in the current window, this one included."""
        slot = int(self.clock()) // self.window
        key = f"{self.prefix}rl:in:{identity}:{slot}"
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, self.window + 5)
            count, _ = pipe.execute()
        return int(count)

    def over(self, count: int) -> bool:
        return self.limit > 0 and count > self.limit

    def first_over(self, count: int) -> bool:
        return self.limit > 0 and count == self.limit + 1


class SendBucket:
    """A token bucket per outbound sender (WhatsApp allows 80 messages/second by default), shared by all workers.

    `take()` reserves a token and returns how long to wait for it, so waiters line up instead of retrying;
    the bucket's state is a Redis hash changed under WATCH, so it needs no Lua (fakeredis has none).
    """

    def __init__(self, client, *, rate: float, burst: float | None = None, prefix: str = "hunar:",
                 max_wait: float = 30.0, clock=None):
        self.redis = client
        self.clock = clock  # seconds as a float; default Redis's own TIME, one clock for every worker
        self.rate = float(rate)
        self.burst = float(burst or rate)
        self.prefix = prefix
        self.max_wait = max_wait

    def reserve(self, sender: str) -> float | None:
        """Reserve one token; the seconds to wait before using it, or None if the wait would exceed `max_wait`."""
        if self.rate <= 0:
            return 0.0
        key = f"{self.prefix}rl:out:{sender}"
        while True:
            with self.redis.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    if self.clock is None:
                        secs, micros = pipe.time()
                        now = secs + micros / 1e6
                    else:
                        now = self.clock()
                    tokens, stamp = pipe.hmget(key, "tokens", "ts")
                    tokens = self.burst if tokens is None else float(tokens)
                    stamp = now if stamp is None else float(stamp)
                    tokens = min(self.burst, tokens + max(0.0, now - stamp) * self.rate) - 1
                    wait = max(0.0, -tokens) / self.rate
                    if wait > self.max_wait:
                        pipe.unwatch()
                        return None
                    pipe.multi()
                    pipe.hset(key, mapping={"tokens": tokens, "ts": now})
                    pipe.expire(key, int(self.burst / self.rate + self.max_wait) + 5)
                    pipe.execute()
                    return wait
                except redis.WatchError:
                    continue  # another worker took a token meanwhile: look again

    def take(self, sender: str) -> bool:
        """Block (sleeping, not spinning) until a token is ours; False if the queue is too long to wait."""
        wait = self.reserve(sender)
        if wait is None:
            return False
        if wait > 0:
            time.sleep(wait)
        return True
