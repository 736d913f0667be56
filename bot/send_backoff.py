"""When a reply that failed to send is tried again: exponential backoff with jitter, never before Twilio's
Retry-After. The time is kept on the reply (`extra["retry_at"]`, read by `outbox.wait_left`) so that the scheduled
retry and any flush that comes earlier (the artisan wrote again) agree on it."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from db import aware

# A refused create is most often a blip: the first retries come quickly, so the artisan waiting is not made to wait
# for Twilio's bad luck (with one create in five refused at random, bench/faults.py, a reply refused five times in a
# row comes once a run, and with doubling from the start it waited 15.5 s). After them the wait doubles: Twilio in
# real trouble is given room. From the 0.5-s start, with the cap below, about 8.5 minutes of trouble before a reply
# is given up.
QUICK_RETRIES = 3
MAX_SEND_ATTEMPTS = 13
MAX_BACKOFF_SECONDS = 300.0


def backoff_seconds(base: float, attempts: int, retry_after: float | None = None,
                    rand=random.random) -> float:
    """Seconds before attempt `attempts + 1`: `base` for the first QUICK_RETRIES retries, then doubling, capped; times
    0.5–1.5 so that replies refused together do not all come back together; at least Twilio's Retry-After."""
    doubled = min(MAX_BACKOFF_SECONDS, float(base) * 2 ** max(0, attempts - QUICK_RETRIES))
    return max(doubled * (0.5 + rand()), float(retry_after or 0))


def retry_at(now: datetime, base: float, attempts: int, retry_after: float | None = None) -> str:
    """The moment the failed reply may go again, as stored on it (ISO 8601)."""
    return (aware(now) + timedelta(seconds=backoff_seconds(base, attempts, retry_after))).isoformat()
