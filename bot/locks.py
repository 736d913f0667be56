"""A fair per-conversation lock in Redis: waiters queue in arrival order and sleep on BLPOP until woken."""
from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import redis


# Join the queue and, if first in it, take the lock: one round trip uncontended. Returns 1 when the lock is ours,
# else the token at the head of the queue (false when the queue is empty).
# With a fourth key, the token is written down in this process's holdings (bot/liveness.py) as it joins.
# KEYS: queue, holder, alive[, holding]; ARGV: token, heartbeat ms, queue ttl ms, hold ms, conversation.
_JOIN = """
redis.call('SET', KEYS[3], 1, 'PX', ARGV[2])
if KEYS[4] then redis.call('HSET', KEYS[4], ARGV[1], ARGV[5]) end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local head = redis.call('LINDEX', KEYS[1], 0)
if head == ARGV[1] and redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[4]) then
  redis.call('SET', KEYS[3], 1, 'PX', ARGV[4])
  return 1
end
return head
"""
# Give the lock up if it is still ours, leave the queue, and say who is next (false: nobody).
# KEYS: queue, holder, alive[, holding]; ARGV: token.
_LEAVE = """
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('DEL', KEYS[3])
if KEYS[4] then redis.call('HDEL', KEYS[4], ARGV[1]) end
return redis.call('LINDEX', KEYS[1], 0)
"""


class LockTimeout(RuntimeError):
    """A job waited longer than allowed for its conversation; it is retried later, nothing is lost."""


class ConversationLock:
    """One holder per conversation; the rest wait in a FIFO queue (never a busy loop).

    Keys per conversation `c` (after the app's key prefix): `lock:c:queue` (list of waiting tokens, head = next to hold),
    `lock:c:holder` (the holder's token, expires after `timeout` so a crashed holder frees it),
    `lock:c:alive:<token>` (a waiter's heartbeat, so a crashed waiter is skipped) and
    `lock:c:wake:<token>` (what the previous holder pushes to wake exactly the next waiter).
    """

    def __init__(self, client: redis.Redis, *, timeout: float = 30.0, wait: float = 60.0, poll: float = 1.0,
                 prefix: str = "hunar:"):
        self.redis = client
        self.prefix = prefix
        self.timeout = timeout
        self.wait = wait
        self.poll = poll  # longest a waiter sleeps before it looks for a dead holder
        # A worker's holdings hash (bot/liveness.py): what this process waits for or holds, so that a watchdog
        # can let go of it and re-queue it within seconds should the process die. None: only the timeout frees it.
        self.holding: str | None = None
        self._join = client.register_script(_JOIN)
        self._leave = client.register_script(_LEAVE)

    @contextmanager
    def hold(self, conversation_id: int | str) -> Iterator[None]:
        """Wait our turn for the conversation, hold it for the block, then wake the next waiter."""
        token = uuid.uuid4().hex
        self.acquire(conversation_id, token)
        try:
            yield
        finally:
            self.release(conversation_id, token)

    def _key(self, cid, *parts: str) -> str:
        return ":".join((f"{self.prefix}lock", str(cid), *parts))

    def holder_key(self, cid) -> str:
        """The key naming the lock's holder: it exists while someone holds the conversation."""
        return self._key(cid, "holder")

    def _keys(self, cid) -> tuple[str, str]:
        return self._key(cid, "queue"), self._key(cid, "holder")

    @property
    def _heartbeat_ms(self) -> int:
        """How long a waiter counts as alive after its last look (and a wake-up waits to be taken)."""
        return int(max(self.poll * 5, 5) * 1000)

    def acquire(self, cid, token: str) -> None:
        """Join the queue and block until we are at its head and hold the lock.

        Uncontended, this is one round trip to Redis (a script: join, look, take, and mark us alive for as long
        as the lock lasts); a waiter's loop shortens that heartbeat again."""
        queue, holder = self._keys(cid)
        heartbeat_ms = self._heartbeat_ms
        head = self._join(keys=[queue, holder, self._key(cid, "alive", token), *self._holding()],
                          args=[token, heartbeat_ms, int((self.wait + self.timeout) * 1000) + heartbeat_ms,
                                int(self.timeout * 1000), cid])
        if head != 1:
            self._wait(cid, token, head)

    def _wait(self, cid, token: str, head) -> None:
        """Look at the queue's head until it is us and the lock is ours, sleeping until woken in between;
        LockTimeout after `wait` seconds."""
        queue, _ = self._keys(cid)
        alive = self._key(cid, "alive", token)
        deadline = time.monotonic() + self.wait
        while not self._look(cid, token, _text(head)):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._leave(keys=[queue, self._key(cid, "holder"), alive, *self._holding()], args=[token])
                raise LockTimeout(f"conversation {cid}: waited {self.wait:.0f}s for the lock")
            self.redis.set(alive, 1, px=self._heartbeat_ms)
            self.redis.blpop([self._key(cid, "wake", token)], timeout=max(0.01, min(self.poll, remaining)))
            head = self.redis.lindex(queue, 0)

    def _look(self, cid, token: str, head: str | None) -> bool:
        """True when we are at the head and took the lock; else rejoin if our token vanished, or skip a dead head."""
        queue, holder = self._keys(cid)
        if head == token:
            return self._take(holder, self._key(cid, "alive", token), token)
        if head is None:
            # Our token vanished (the queue expired or a waiter mistook us for dead): rejoin.
            self.redis.rpush(queue, token)
        else:
            self._skip_if_dead(cid, queue, holder, head)
        return False

    def _take(self, holder: str, alive: str, token: str) -> bool:
        """Take the lock if nobody holds it, with a heartbeat as long as the lock."""
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(holder, token, nx=True, px=int(self.timeout * 1000))
            # The holder's heartbeat lasts as long as its lock, so waiters don't skip it early.
            pipe.set(alive, 1, px=int(self.timeout * 1000))
            return bool(pipe.execute()[0])

    def _skip_if_dead(self, cid, queue: str, holder: str, head: str) -> None:
        """Drop the head of the queue if it is neither holding the lock nor alive (its process died)."""
        if self.redis.exists(self._key(cid, "alive", head)) or _text(self.redis.get(holder)) == head:
            return
        self.redis.lrem(queue, 1, head)

    def _holding(self) -> list[str]:
        return [self.holding] if self.holding else []

    def release(self, cid, token: str) -> None:
        """Give up the lock if it is still ours and wake whoever is next in line (one round trip, two if someone
        waits). A lock that expired and was taken by another meanwhile is left alone. A watchdog calls this with a
        dead process's token (bot/heal.py) to let go on its behalf."""
        queue, holder = self._keys(cid)
        nxt = self._leave(keys=[queue, holder, self._key(cid, "alive", token), *self._holding()], args=[token])
        if nxt is not None:
            wake = self._key(cid, "wake", _text(nxt))
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.rpush(wake, 1)
                pipe.pexpire(wake, self._heartbeat_ms)
                pipe.execute()


def _text(value: bytes | str | None) -> str | None:
    """A Redis reply as text (clients may or may not decode)."""
    return value.decode() if isinstance(value, bytes) else value
