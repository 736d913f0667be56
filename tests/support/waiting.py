"""Waiting in tests: for a condition, with a deadline generous enough for a loaded CI machine, never a fixed sleep."""
from __future__ import annotations

import time


def wait_until(condition, seconds: float, what: str, every: float = 0.05):
    """Poll `condition` until it returns something truthy (returned); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(every)
