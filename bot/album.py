"""Albums: eight photos arrive as eight webhooks within a second or two; handle them once, as one batch.

Each photo bumps a per-conversation counter in Redis (after its message is committed) and schedules a job
`ALBUM_DEBOUNCE_SECONDS` later carrying the counter's value. A job whose value is no longer the latest
steps aside: a newer photo's job will come. So the job that runs is the one of the last photo, after a quiet
spell, and the dispatcher takes every waiting photo as one album (one acknowledgement).
"""
from __future__ import annotations


def _key(services, conversation_id: int) -> str:
    return f"{services.settings['REDIS_PREFIX']}album:{conversation_id}"


def schedule(services, conversation_id: int, **options) -> None:
    """A photo was recorded: (re)start the conversation's quiet-time clock."""
    delay = float(services.settings["ALBUM_DEBOUNCE_SECONDS"])
    if delay <= 0:
        services.jobs.enqueue("process_conversation", conversation_id, **options)
        return
    key = _key(services, conversation_id)
    with services.redis.pipeline(transaction=False) as pipe:
        pipe.incr(key)
        pipe.expire(key, int(delay * 10) + 60)
        seq, _ = pipe.execute()
    services.jobs.enqueue_in(delay, "process_album", conversation_id, int(seq), **options)


def is_latest(services, conversation_id: int, seq: int) -> bool:
    latest = services.redis.get(_key(services, conversation_id))
    return latest is None or int(latest) == seq
