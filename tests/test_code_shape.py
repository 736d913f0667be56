"""The code stays readable as the architecture review measured it (issue 18): small modules, simple functions.

radon's cyclomatic complexity over the application's packages, averaged over every function, method and class
as `radon cc -a` does; module length outside tests/ and bench/; and no function of the NLU rated D or worse.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("nlu", "flows", "bot", "marketplace", "helpdesk", "db", "deploy")
TOP = ("app.py", "config.py", "gunicorn.conf.py")
MAX_AVERAGE = 3.0
MAX_LINES = 300


def application_files() -> list[Path]:
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files + [ROOT / name for name in TOP])


def blocks(path: Path):
    """Every function, method and class of a file, as `radon cc` lists them."""
    return cc_visit(path.read_text(encoding="utf-8"))


def test_average_complexity_is_at_most_three():
    every = [b for path in application_files() for b in blocks(path)]
    average = sum(b.complexity for b in every) / len(every)
    worst = sorted(every, key=lambda b: -b.complexity)[:10]
    assert average <= MAX_AVERAGE, f"average {average:.2f} over {len(every)} blocks; worst: " + ", ".join(
        f"{b.fullname} {b.complexity}" for b in worst)


@pytest.mark.parametrize("path", application_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_is_longer_than_three_hundred_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_nlu_function_is_rated_d_or_worse():
    hard = [f"{path.name}:{b.fullname} {cc_rank(b.complexity)} ({b.complexity})"
            for path in (ROOT / "nlu").rglob("*.py") for b in blocks(path) if cc_rank(b.complexity) in "DEF"]
    assert not hard, hard
