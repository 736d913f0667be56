"""A worker's sending threads and its retry timer.

Replies go out on a few threads beside the job loop, so one slow Twilio call does not hold up the next job
(bot/outbox.py). A reply Twilio refused is tried again on its backoff by a timer thread in the same process: on
time, not as an RQ job that waits for the scheduler's next poll and then behind drain jobs in the queue. Both are
written down in the worker's holdings (bot/liveness.py), so should the worker die, a watchdog resumes the
conversation within seconds; a Redis that lost them is covered by the watchdog's recovery.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from bot import jobs

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.sending")


class SendingThreads:
    """Sends a conversation's pending replies on a thread of its pool, now (`submit`) or after a delay (`later`)."""

    def __init__(self, services: Services, threads: int):
        self.services = services
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hunar-send")
        self._due: list[tuple[float, int, int, str | None]] = []  # (when, n, conversation, holding field)
        self._changed = threading.Condition()
        self._count = itertools.count()
        self._timer: threading.Thread | None = None

    def submit(self, conversation_id: int, *, scheduled: bool = False, resume: bool = False) -> None:
        """Send the conversation's pending replies on a sending thread (`scheduled`: it is their retry;
        `resume`: schedule the retry of a reply whose time has not come, as nobody else will)."""
        field = self._hold("send", conversation_id)
        self.pool.submit(self._flush, conversation_id, scheduled, resume, field)

    def later(self, seconds: float, conversation_id: int) -> None:
        """Try the conversation's first unsent reply again in `seconds`."""
        field = self._hold("retry", conversation_id)
        with self._changed:
            heapq.heappush(self._due, (time.monotonic() + seconds, next(self._count), conversation_id, field))
            if self._timer is None:
                self._timer = threading.Thread(target=self._run_timer, name="hunar-send-retry", daemon=True)
                self._timer.start()
            self._changed.notify()

    def waiting(self) -> int:
        """Retries waiting for their time."""
        with self._changed:
            return len(self._due)

    def _run_timer(self) -> None:
        while True:
            with self._changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._changed.wait(timeout=self._due[0][0] - time.monotonic() if self._due else None)
                _, _, conversation_id, field = heapq.heappop(self._due)
            self.submit(conversation_id, scheduled=True)
            self._let_go(field)

    def _flush(self, conversation_id: int, scheduled: bool, resume: bool, field: str | None) -> None:
        services = self.services
        try:
            with services.metrics.batch(), services.lock.hold(conversation_id):
                waiting = services.sending.flush(conversation_id, scheduled=scheduled)
            if waiting or resume:  # stopped at a reply that may go later: try again with backoff
                jobs.schedule_retry(services, conversation_id)
        except Exception:  # e.g. PostgreSQL lost after Twilio took a reply: it is looked up there before re-sending
            log.exception("conversation %s: sending its replies failed", conversation_id)
            jobs.retry_later(services, conversation_id)
        finally:
            self._let_go(field)

    def _hold(self, kind: str, conversation_id: int) -> str | None:
        """Write the work down in the worker's holdings; None outside a worker, or when Redis is away (the
        watchdog's sweep finds such a reply from the database)."""
        liveness = self.services.liveness
        if liveness is None:
            return None
        field = f"{kind}:{next(self._count)}"
        try:
            liveness.hold(field, conversation_id)
        except Exception:
            log.warning("conversation %s: could not write down its %s", conversation_id, kind, exc_info=True)
            return None
        return field

    def _let_go(self, field: str | None) -> None:
        if field is None:
            return
        try:
            self.services.liveness.let_go(field)
        except Exception:  # left behind, it only makes a later sweep skip the conversation until we die
            log.warning("could not cross %s off", field, exc_info=True)
