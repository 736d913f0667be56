"""WhatsApp's 24-hour customer service window: free-form messages only within a day of the artisan's last message."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

WINDOW = timedelta(hours=24)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; ours are all UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def is_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """True while free-form text may be sent: the artisan wrote less than 24 hours ago."""
    last = aware(last_inbound_at)
    return last is not None and aware(now) - last < WINDOW


def closes_at(last_inbound_at: datetime | None) -> datetime | None:
    """When the window closes (None if the artisan never wrote)."""
    last = aware(last_inbound_at)
    return None if last is None else last + WINDOW
