"""When a reply that failed to send is tried again: exponential backoff with jitter, never before Twilio's
Retry-After. The time is kept on the reply (`extra["retry_at"]`, read by `outbox.wait_left`) so that the scheduled
retry and any flush that comes earlier (the artisan wrote again) agree on it."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from db import aware

# From the 0.5-s start, with the cap below, about 8.5 minutes of Twilio trouble before a reply is given up. The short
# start is for the artisan waiting: one refused create in five (bench/faults.py) costs half a second, not one, and
# an unlucky reply refused four times in a row waits 7.5 s, not 15.
MAX_SEND_ATTEMPTS = 11
MAX_BACKOFF_SECONDS = 300.0


def backoff_seconds(base: float, attempts: int, retry_after: float | None = None,
                    rand=random.random) -> float:
    """Seconds before attempt `attempts + 1`: base × 2^(attempts − 1), capped, times 0.5–1.5 so that replies
    refused together do not all come back together; at least Twilio's Retry-After."""
    doubled = min(MAX_BACKOFF_SECONDS, float(base) * 2 ** max(0, attempts - 1))
    return max(doubled * (0.5 + rand()), float(retry_after or 0))


def retry_at(now: datetime, base: float, attempts: int, retry_after: float | None = None) -> str:
    """The moment the failed reply may go again, as stored on it (ISO 8601)."""
    return (aware(now) + timedelta(seconds=backoff_seconds(base, attempts, retry_after))).isoformat()
