"""How long the property-based (hypothesis) tests run: bounded in the suite, longer on request.

`FUZZ_SCALE=50 make test PYTEST_ARGS="tests/faults tests/nlu/test_normalise.py tests/flows"` runs every
fuzz test with fifty times as many examples (minutes instead of seconds).
"""
from __future__ import annotations

import os


def examples(n: int) -> int:
    """`n` examples, times FUZZ_SCALE (default 1)."""
    return max(1, int(n * float(os.environ.get("FUZZ_SCALE", "1"))))
