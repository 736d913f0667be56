"""The outbound rate of one sender (WhatsApp allows 80 messages/second by default), shared by all workers."""
from __future__ import annotations

import time


# The whole reservation in one round trip, atomic in Redis: no WATCH/retry loop for workers to race on.
# ARGV: rate, burst, max_wait, ttl, now ("" for Redis's own TIME). Returns the wait in seconds, or nil.
_RESERVE = """
local rate, burst, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = tonumber(ARGV[5])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local stamp = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate) - 1
local wait = math.max(0, -tokens) / rate
if wait > max_wait then
  return false
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return string.format('%.6f', wait)
"""


class SendBucket:
    """A token bucket per outbound sender (WhatsApp allows 80 messages/second by default), shared by all workers.

    `take()` reserves a token and returns how long to wait for it, so waiters line up instead of retrying;
    the bucket is a Redis hash changed by one Lua script, so a reservation is one round trip however many
    workers send at once.
    """

    def __init__(self, client, *, rate: float, burst: float | None = None, prefix: str = "hunar:",
                 max_wait: float = 30.0, clock=None):
        self.redis = client
        self.clock = clock  # seconds as a float; default Redis's own TIME, one clock for every worker
        self.rate = float(rate)
        self.burst = float(burst or rate)
        self.prefix = prefix
        self.max_wait = max_wait
        self._reserve = client.register_script(_RESERVE)

    def reserve(self, sender: str) -> float | None:
        """Reserve one token; the seconds to wait before using it, or None if the wait would exceed `max_wait`."""
        if self.rate <= 0:
            return 0.0
        ttl = int(self.burst / self.rate + self.max_wait) + 5
        now = "" if self.clock is None else repr(float(self.clock()))
        wait = self._reserve(keys=[f"{self.prefix}rl:out:{sender}"],
                             args=[repr(self.rate), repr(self.burst), repr(self.max_wait), ttl, now])
        return None if wait is None else float(wait)

    def take(self, sender: str) -> bool:
        """Block (sleeping, not spinning) until a token is ours; False if the queue is too long to wait."""
        wait = self.reserve(sender)
        if wait is None:
            return False
        if wait > 0:
            time.sleep(wait)
        return True
