"""Which worker processes are alive, and what a dead one held: a SIGKILLed worker's conversations go on within
seconds, not when its 30-s conversation locks expire (issue 20).

Each `python -m bot.worker` beats every BEAT_SECONDS: `proc:<id>:alive` (expiring after ALIVE_SECONDS) and its entry
in the `procs` registry (id → the name of the RQ scheduler it runs, "" when none). What it holds is written down
as it takes it, in `proc:<id>:holding` (a hash of conversation ids: by lock token, waiting or held; "drain:taken",
the one a drain job has just taken from the ready set; "send:<n>" and "retry:<n>", replies handed to the sending
threads or waiting for their retry), and crossed off as it lets go. A worker's watchdog (bot/heal.py) finds
registered processes whose alive key has expired, claims each (one watchdog wins) and re-queues what it held.

Declaring a slow process dead is safe: a turn commits only if its messages are still "received" (bot/turns.py) and
a reply leaves only if its intent could be claimed (bot/outbox.py), so two holders never both answer.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid

import redis

log = logging.getLogger("hunar.liveness")

BEAT_SECONDS = 0.5
ALIVE_SECONDS = 2.5  # five beats missed: a process this quiet is dead (or so stalled that its work is better moved)
TAKEN = "drain:taken"  # the holding field of the conversation a drain job has just taken, before it locks it

# Claim a dead process: only the watchdog whose HDEL removed it recovers it. Returns [scheduler name, holding...]
# or false when another claimed it first (or it came back to life).
# KEYS: registry, alive, holding; ARGV: process id.
_CLAIM = """
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local scheduler = redis.call('HGET', KEYS[1], ARGV[1])
if not scheduler or redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return false end
local held = redis.call('HGETALL', KEYS[3])
redis.call('DEL', KEYS[3])
table.insert(held, 1, scheduler)
return held
"""


# Take the oldest ready conversation (bot/inbox.py's set) and write it down in place of the one taken before, crossed
# off when none is left. KEYS: ready, holding; ARGV: field.
_TAKE = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  return false
end
redis.call('HSET', KEYS[2], ARGV[1], popped[1])
return popped[1]
"""


class Liveness:
    """This process's heartbeat and holdings, and the look at everyone else's."""

    def __init__(self, client: redis.Redis, prefix: str, *, beat: float = BEAT_SECONDS,
                 alive: float = ALIVE_SECONDS):
        self.redis = client
        self.prefix = prefix
        self.id = uuid.uuid4().hex[:12]
        self.registry = f"{prefix}procs"
        self.holding = self.holding_key(self.id)
        self.beat_every, self.alive_ms = beat, int(alive * 1000)
        self.scheduler_name = lambda: ""  # the RQ scheduler this process runs now (bot/worker.py tells)
        self._claim = client.register_script(_CLAIM)
        self._take = client.register_script(_TAKE)

    def alive_key(self, proc: str) -> str:
        return f"{self.prefix}proc:{proc}:alive"

    def holding_key(self, proc: str) -> str:
        return f"{self.prefix}proc:{proc}:holding"

    def start(self) -> threading.Thread:
        """Beat in a daemon thread for as long as the process lives."""
        self.beat()  # registered before the first job is taken
        thread = threading.Thread(target=self._run, name="hunar-liveness", daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        while True:
            time.sleep(self.beat_every)  # a heartbeat's pace, not a wait for a condition
            try:
                self.beat()
            except redis.RedisError:
                pass  # Redis away: nobody can look either; the next beat registers again
            except Exception:  # the heartbeat must outlive anything one beat runs into
                log.exception("a heartbeat failed")

    def beat(self) -> None:
        """Say this process is alive, and which RQ scheduler it runs."""
        scheduler = self.scheduler_name() or ""
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(self.alive_key(self.id), scheduler, px=self.alive_ms)
            pipe.hset(self.registry, self.id, scheduler)
            pipe.execute()

    def dead(self) -> list[str]:
        """Registered processes whose heartbeat has stopped (never this one)."""
        procs = [p for p in self._registered() if p != self.id]
        return [proc for proc, up in zip(procs, self._each(procs, self.alive_key, "exists")) if not up]

    def _registered(self) -> list[str]:
        return [_text(p) for p in self.redis.hkeys(self.registry)]

    def _each(self, procs: list[str], key, command: str) -> list:
        """One Redis `command` on `key(proc)` for each process, in one round trip."""
        with self.redis.pipeline(transaction=False) as pipe:
            for proc in procs:
                getattr(pipe, command)(key(proc))
            return pipe.execute()

    def claim(self, proc: str) -> tuple[str, dict[str, int]] | None:
        """Take a dead process off the registry: its scheduler's name and what it held (token → conversation),
        or None when another watchdog claimed it first."""
        answer = self._claim(keys=[self.registry, self.alive_key(proc), self.holding_key(proc)], args=[proc])
        if not answer:
            return None
        scheduler, rest = _text(answer[0]), [_text(x) for x in answer[1:]]
        return scheduler, {rest[i]: int(rest[i + 1]) for i in range(0, len(rest), 2)}

    def take_ready(self, ready_key: str) -> int | None:
        """`Inbox.take_ready`, writing the conversation down in the same step: a worker killed before it locks the
        conversation does not leave it behind."""
        taken = self._take(keys=[ready_key, self.holding], args=[TAKEN])
        return int(taken) if taken is not None else None

    def hold(self, field: str, conversation_id: int) -> None:
        """Write down work in hand outside a lock (replies handed to a sending thread, a retry waiting)."""
        self.redis.hset(self.holding, field, conversation_id)

    def let_go(self, field: str) -> None:
        """Cross it off again."""
        self.redis.hdel(self.holding, field)

    def held(self) -> set[int]:
        """Conversations some process (alive or not yet claimed) has written down as in hand."""
        held = self._each(self._registered(), self.holding_key, "hvals")
        return {int(cid) for values in held for cid in values}

    def schedulers(self) -> dict[str, bool]:
        """The RQ scheduler each registered process runs, and whether that process is alive."""
        named = {_text(p): _text(s) for p, s in self.redis.hgetall(self.registry).items() if s}
        alive = self._each(list(named), self.alive_key, "exists")
        return {scheduler: bool(up) for scheduler, up in zip(named.values(), alive)}


def is_lock_token(field: str) -> bool:
    """A holdings field naming a conversation lock's token (the others, "drain:…", "send:…", "retry:…", name
    work in hand outside any lock)."""
    return ":" not in field


def _text(value: bytes | str | None) -> str | None:
    """A Redis reply as text (clients may or may not decode)."""
    return value.decode() if isinstance(value, bytes) else value
