"""A worker's watchdog: what a Redis outage or restart leaves behind is healed within seconds, not minutes.

Every `every` seconds each worker process (`python -m bot.worker`) looks at Redis:
- conversations are ready but no drain job will take them (the "drain queued" flag names a job RQ no longer has,
  or there is no flag and the oldest ready conversation has waited past STALE_SECONDS): it queues a drain job;
- Redis could not be reached since the last look, or lost its keys (restarted empty): for a few seconds it
  re-queues every conversation the database says has messages waiting (`jobs.recover_stalled`), since the ready
  set, the queue and the delayed jobs that would have taken them may be gone. Handling a conversation twice is
  safe: a job takes the conversation's lock and then only the messages still "received";
- RQ's scheduler process (delayed jobs: album debounce, retries of failed conversations) died on the outage, or
  its worker was killed holding the scheduler lock: it starts its own worker's again, where RQ itself would wait
  for the lock to expire and its next maintenance, up to 10 minutes (bot/takeover.py);
- a worker process stopped beating (SIGKILLed): what it held is let go and resumed (bot/takeover.py);
- every SWEEP_SECONDS, messages or replies the database says wait, for a conversation nobody holds or has ready.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from bot import jobs, periodic
from bot.takeover import Takeover

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.heal")

STALE_SECONDS = 3.0  # a ready conversation no job took for this long gets a drain job of its own
SWEEP_SECONDS = 5.0  # how often one worker looks for messages no job holds (a killed worker's, say)
UNHANDLED_SECONDS = 10.0  # a message this old, its conversation neither ready nor locked, has no job coming
ALIVE = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
# Delete the flag only if it still names the dead job: a fresh flag set meanwhile belongs to a live one.
_CLEAR_IF = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class Watchdog:
    """One per worker process, in a thread of its own (`start`), or one `look` at a time (tests)."""

    def __init__(self, services: Services, *, every: float = 0.5):
        self.services = services
        self.redis = services.redis
        self.every = every
        prefix = services.inbox.prefix
        self.marker = f"{prefix}heal:present"  # gone when Redis comes back empty
        self.turn = f"{prefix}heal:recovering"  # one worker's recovery pass at a time
        # Photos wait ALBUM_DEBOUNCE_SECONDS for the rest of their album: recovery leaves younger messages alone,
        # and goes on looking until the ones recorded just before the outage are that old.
        self.older_than = float(services.settings["ALBUM_DEBOUNCE_SECONDS"]) + 1.0
        self.recover_until = 0.0
        self.swept_at = time.monotonic()  # the first sweep a pace after start: a recovery pass may come first
        self.sweep_turn = f"{prefix}heal:sweeping"  # one worker's sweep at a time
        self.down = False
        self.worker = None  # the RQ worker working now (`watch`), whose scheduler is kept alive
        self._watching = threading.Lock()  # no scheduler started for a worker once it is let go
        self._clear_if = self.redis.register_script(_CLEAR_IF)
        self.liveness, self.takeover = services.liveness, None
        if self.liveness is not None:
            self.takeover = Takeover(services, self.liveness)
            self.liveness.scheduler_name = self.scheduler_name

    def start(self) -> threading.Thread:
        """Look every `every` seconds in a daemon thread, for as long as the process lives."""
        thread = threading.Thread(target=self._run, name="hunar-watchdog", daemon=True)
        thread.start()
        return thread

    def watch(self, worker) -> None:
        """`python -m bot.worker` started working with `worker` (a new one after each outage), or None: it is done
        with the last one, and no scheduler is started for it from now on."""
        with self._watching:
            self.worker = worker

    def _run(self) -> None:
        while True:
            try:
                self.look()
            except Exception:  # the watchdog must outlive anything one look runs into
                log.exception("the watchdog's look failed")
            time.sleep(self.every)  # a background loop's pace, not a wait for a condition

    def look(self) -> None:
        """One look: queue a drain job where one is missing; after an outage, re-queue what the database holds."""
        try:
            emptied = bool(self.redis.set(self.marker, 1, nx=True))
            if self.takeover is not None:
                self.takeover.dead_processes()
            self.drain_if_stuck()
            self.keep_scheduler()
            if emptied or self.down:
                log.warning("Redis %s: re-queueing waiting conversations", "is back empty" if emptied else "is back")
                self.down = False
                self.recover_until = time.monotonic() + self.older_than + 2 * self.every + 1.0
            if time.monotonic() < self.recover_until:
                self.recover()  # finds all the sweep would, and more
                self.swept_at = time.monotonic()
            elif time.monotonic() - self.swept_at >= SWEEP_SECONDS:
                self.swept_at = time.monotonic()
                self.sweep()
        except redis.RedisError:
            self.down = True

    def drain_if_stuck(self) -> bool:
        """Queue a drain job when ready conversations have none coming; True when one was queued."""
        inbox = self.services.inbox
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrange(inbox.ready_key, 0, 0, withscores=True)
            pipe.get(inbox.drain_key)
            oldest, flag = pipe.execute()
        if not oldest:
            return False
        if flag is not None:
            if self._alive(flag):
                return False
            self._clear_if(keys=[inbox.drain_key], args=[flag])
        elif self.services.clock().timestamp() - oldest[0][1] < STALE_SECONDS:
            return False  # a running drain job is on its way to it
        log.warning("ready conversations and no drain job coming: queueing one")
        inbox.drain_again()
        return True

    def keep_scheduler(self) -> bool:
        """Start this worker's RQ scheduler process if none runs: its own died, or the worker that held the
        scheduler lock did (it takes the lock first: one scheduler per queue across workers). True when started."""
        with self._watching:
            worker = self.worker
            scheduler = getattr(worker, "scheduler", None)
            if scheduler is None or worker._shutdown_requested_date is not None:
                return False  # none, or stopped by RQ itself on its way out
            process = scheduler._process
            if process is not None and process.is_alive():
                return False
            if process is None and (self.takeover is None or not self.takeover.free_scheduler(scheduler)):
                return False  # another worker's runs (without liveness: RQ's own maintenance decides)
            scheduler.acquire_locks(auto_start=True)
            started = scheduler._process is not process
            if started:
                log.warning("RQ's scheduler process %s: started it here", "died" if process else "was gone")
            return started

    def scheduler_name(self) -> str:
        """The name of the RQ scheduler this process runs now ("" when none), for its heartbeat."""
        scheduler = getattr(self.worker, "scheduler", None)
        process = getattr(scheduler, "_process", None)
        return scheduler.name if process is not None and process.is_alive() else ""

    def _alive(self, job_id: bytes | str) -> bool:
        """True when RQ still has the job, queued or running."""
        job_id = job_id.decode() if isinstance(job_id, bytes) else job_id
        try:
            return Job.fetch(job_id, connection=self.redis).get_status() in ALIVE
        except NoSuchJobError:
            return False

    def recover(self) -> int:
        """Re-queue conversations whose messages wait in the database (one worker per pass); how many."""
        if not self.redis.set(self.turn, 1, nx=True, px=max(100, int(self.every * 900))):
            return 0
        return jobs.recover_stalled(self.services, older_than=timedelta(seconds=self.older_than))

    def sweep(self) -> list[int]:
        """Resume the conversations whose messages or replies wait in the database with nothing coming for them:
        not ready, not locked, not in any worker's holdings, no album's job queued, older than UNHANDLED_SECONDS
        (a job failed, or Redis lost what a worker wrote down); one worker per pass. Returns their ids.
        `recover_stalled` from cron would find them too, but minutes later."""
        if not self.redis.set(self.sweep_turn, 1, nx=True, px=int(SWEEP_SECONDS * 900)):
            return []
        unhandled, unsent = periodic.stalled(self.services, older_than=timedelta(seconds=UNHANDLED_SECONDS))
        held = self.liveness.held() if self.liveness is not None else set()
        ids = sorted((unhandled | unsent) - held)
        if not ids:
            return []
        orphans = self._unattended(ids)
        for conversation_id in orphans:
            self.services.jobs.enqueue(jobs.resume_conversation, conversation_id)
        if orphans:
            log.warning("re-queued %d conversations whose messages had no job", len(orphans))
        return orphans

    def _unattended(self, ids: list[int]) -> list[int]:
        """Those of the conversations neither ready, nor locked, nor waiting for an album's queued job (under load
        a photo's job waits its turn in the queue)."""
        lock, inbox = self.services.lock, self.services.inbox
        with self.redis.pipeline(transaction=False) as pipe:
            for conversation_id in ids:
                pipe.zscore(inbox.ready_key, conversation_id)
                pipe.exists(lock.holder_key(conversation_id), inbox.albums.key(conversation_id))
            answers = pipe.execute()
        return [cid for cid, ready, busy in zip(ids, answers[0::2], answers[1::2]) if ready is None and not busy]
