"""A clock tests move by hand, handed to the app as its `clock` service."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


class Clock:
    """Starts at a fixed moment; `advance()` moves it; each call returns the current moment."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta
