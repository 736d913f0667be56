"""Redis writes that can wait for the end of a unit of work (counters, live events): one round trip for them all."""
from __future__ import annotations

import threading
from contextlib import contextmanager


class WriteBatch:
    """Inside `batch()`, `write()`s queue on this thread's pipeline, sent when the batch ends; outside, at once.

    These writes are best-effort by design: a Redis hiccup must never fail the message that caused them."""

    def __init__(self, redis):
        self.redis = redis
        self._local = threading.local()

    @contextmanager
    def batch(self):
        """Everything written inside goes to Redis in one round trip at the end (a webhook, a job, a send)."""
        if getattr(self._local, "pipe", None) is not None:
            yield
            return
        self._local.pipe = self.redis.pipeline(transaction=False)
        try:
            yield
        finally:
            pipe, self._local.pipe = self._local.pipe, None
            try:
                if pipe.command_stack:  # `send` may have taken them all
                    pipe.execute()
            except Exception:
                pass

    def write(self, commands) -> None:
        """`commands(pipe)` adds its commands to a pipeline: this thread's batch, or one sent now."""
        pipe = getattr(self._local, "pipe", None)
        try:
            if pipe is not None:
                commands(pipe)
                return
            with self.redis.pipeline(transaction=False) as pipe:
                commands(pipe)
                pipe.execute()
        except Exception:
            pass

    def send(self, commands) -> list:
        """Run `commands(pipe)` now, with whatever this thread's batch has queued, in one round trip; returns
        the results of `commands`' own commands. Unlike `write`, a failure is raised: the caller needs them."""
        pipe = getattr(self._local, "pipe", None)
        if pipe is None:
            with self.redis.pipeline(transaction=False) as pipe:
                commands(pipe)
                return pipe.execute()
        queued = len(pipe.command_stack)
        commands(pipe)
        results = pipe.execute(raise_on_error=False)[queued:]  # a lost connection still raises here
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results
