"""What a dead worker process held is taken over within seconds (issue 20: a SIGKILLed worker's conversations waited
for their 30-s locks, and its RQ scheduler's lock stopped every delayed job for a minute).

A watchdog (bot/heal.py) claims each registered process whose heartbeat has stopped (bot/liveness.py), lets go of
the conversation locks it held or waited for, resumes every conversation it had in hand, and queues a drain job for
what is still ready. It also breaks an RQ scheduler lock whose holder no live process runs, so that its own worker's
scheduler can take delayed jobs (album waits, retries of failed conversations) over.
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from rq.scheduler import RQScheduler

from bot import jobs
from bot.liveness import ALIVE_SECONDS, Liveness, is_lock_token

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.takeover")

# A scheduler lock held under a name no registered process has said it runs: a process registers its scheduler's
# name within a beat of starting it, so after this long the holder is gone (killed before its first beat).
UNKNOWN_HOLDER_SECONDS = 2 * ALIVE_SECONDS
# Delete the lock only if the holder we judged dead still has it.
_BREAK_IF = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class Takeover:
    """One per worker process, used by its watchdog."""

    def __init__(self, services: Services, liveness: Liveness):
        self.services = services
        self.liveness = liveness
        self.redis = services.redis
        self._break_if = self.redis.register_script(_BREAK_IF)
        self._unknown: tuple[str, float] | None = None  # a scheduler lock holder nobody runs, and since when

    def dead_processes(self) -> list[int]:
        """Claim every dead process and resume what it held; the conversations resumed."""
        resumed: set[int] = set()
        for proc in self.liveness.dead():
            claimed = self.liveness.claim(proc)
            if claimed is None:
                continue  # another watchdog claimed it first
            scheduler, held = claimed
            if scheduler:
                self._break(RQScheduler.get_locking_key(jobs.queue_name(self.services.settings)), scheduler)
            log.warning("worker process %s stopped beating: resuming %d conversations it held", proc,
                        len(set(held.values())))
            for field, conversation_id in held.items():
                if is_lock_token(field):  # let go on its behalf; the next waiter is woken
                    self.services.lock.release(conversation_id, field)
            resumed |= set(held.values())
        for conversation_id in sorted(resumed):
            self.services.jobs.enqueue(jobs.resume_conversation, conversation_id)
        if resumed:
            self.services.inbox.drain_again()  # its drain job died with it: the ready ones need another
        return sorted(resumed)

    def free_scheduler(self, scheduler) -> bool:
        """Break the RQ scheduler lock of `scheduler`'s queues if its holder is dead; True when it is free now (or
        held by `scheduler` itself), so that `scheduler` may take it."""
        free = True
        for name in scheduler._queue_names:
            key = RQScheduler.get_locking_key(name)
            holder = self.redis.get(key)
            holder = holder.decode() if isinstance(holder, bytes) else holder
            if holder is None or holder == scheduler.name:
                continue
            if not self._holder_dead(holder):
                free = False
                continue
            self._break(key, holder)
        return free

    def _break(self, key: str, holder: str) -> None:
        if self._break_if(keys=[key], args=[holder]):
            log.warning("RQ's scheduler lock %s was held by %s, which no live worker runs: broken", key, holder)

    def _holder_dead(self, holder: str) -> bool:
        """True when the scheduler named `holder` runs in a dead process, or in none that ever said so for long."""
        known = self.liveness.schedulers()
        if holder in known:
            self._unknown = None
            return not known[holder]
        if self._unknown is None or self._unknown[0] != holder:
            self._unknown = (holder, time.monotonic())
        return time.monotonic() - self._unknown[1] >= UNKNOWN_HOLDER_SECONDS
