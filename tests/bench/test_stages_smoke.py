"""A short run of bench/stages.py on real PostgreSQL and Redis: every stage is timed for every message, and the
replies reach the fake Twilio. No timing assertions (figures belong to bench/RESULTS.md)."""
from __future__ import annotations

from tests.bench.services import DATABASE_URL, REDIS_URL, bench_script, needs_services

pytestmark = needs_services


def test_each_stage_is_timed_for_each_message(monkeypatch, capsys):
    stages = bench_script("stages")
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
