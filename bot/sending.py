"""Replies leave on a few threads of the worker process, so one slow Twilio call does not hold up the next job.

Twilio answers `messages.create` in 100–300 ms; a worker that sent each reply itself could handle only a
handful of messages a second. The job commits the replies it wrote (status "pending") and hands the
conversation to this pool; a sending thread takes the conversation's lock and sends every pending reply in
order (`delivery.flush`). Whoever flushes sends all of them, so two flushes of one conversation, from any
process, cannot reorder replies; a worker killed with replies still pending leaves them to
`periodic.recover_stalled`.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from bot import delivery

log = logging.getLogger("hunar.sending")


class Sender:
    """A small pool of sending threads in a worker process (threads end with the process, after their work)."""

    def __init__(self, services, threads: int):
        self.services = services
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hunar-send")

    def submit(self, conversation_id: int) -> None:
        self.pool.submit(self._flush, conversation_id)

    def _flush(self, conversation_id: int) -> None:
        try:
            with self.services.metrics.batch():
                delivery.flush(self.services, conversation_id)
        except Exception:  # the replies stay pending in the database; recover_stalled sends them
            log.exception("conversation %s: sending its replies failed", conversation_id)
