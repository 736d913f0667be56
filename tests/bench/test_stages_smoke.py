"""A short run of bench/stages.py on real PostgreSQL and Redis: every stage is timed for every message, and the
replies reach the fake Twilio. No timing assertions (figures belong to bench/RESULTS.md)."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL") or os.environ.get("HUNAR_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("HUNAR_REDIS_URL")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and REDIS_URL),
    reason="needs real PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (.ci/run does)")


def _load():
    path = Path(__file__).resolve().parents[2] / "bench" / "stages.py"
    spec = importlib.util.spec_from_file_location("hunar_bench_stages", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_each_stage_is_timed_for_each_message(monkeypatch, capsys):
    stages = _load()
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert stages.main(["--artisans", "3", "--messages", "4", "--warm-up", "1"]) == 0
    out = capsys.readouterr().out
    assert "12 text messages, 3 artisans, " in out
    replies = int(out.split("3 artisans, ")[1].split()[0])
    assert replies >= 12, "every text was answered"
    for stage in stages.STAGES:
        line = next(line for line in out.splitlines() if line.strip().startswith(stage))
        assert float(line.split()[2]) > 0, line
