"""The album debounce: photos sent together are one batch, taken after the conversation's photos go quiet.

Each photo bumps its conversation's counter and schedules a job carrying the new value; a job whose value is no
longer the latest steps aside, so the one that runs is the last photo's and the turn takes every waiting photo.
"""
from __future__ import annotations


class AlbumClock:
    """The per-conversation photo counter in Redis (`<prefix>album:<conversation>`)."""

    def __init__(self, redis, prefix: str, delay: float):
        self.redis = redis
        self.prefix = prefix
        self.delay = delay

    def key(self, conversation_id: int) -> str:
        """The conversation's counter: it exists while a photo's job may still come (it outlives the wait)."""
        return f"{self.prefix}album:{conversation_id}"

    def bump(self, conversation_id: int) -> int:
        """A photo came: the counter's new value, for the job that waits out the quiet spell."""
        key = self.key(conversation_id)
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, int(self.delay * 10) + 60)
            seq, _ = pipe.execute()
        return int(seq)

    def is_latest(self, conversation_id: int, seq: int) -> bool:
        """True when no photo came after the one that scheduled `seq`."""
        latest = self.redis.get(self.key(conversation_id))
        return latest is None or int(latest) == seq
