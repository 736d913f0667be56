"""A short run of bench/load.py's machinery: gunicorn + 2 RQ workers on real PostgreSQL and Redis, a fake Twilio,
5 artisans × the first steps of a listing conversation (text and an album). Asserts exactly once and in order;
no timing assertions (the figures belong to bench/RESULTS.md, measured on a quiet machine)."""
from __future__ import annotations

import asyncio
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
    path = Path(__file__).resolve().parents[2] / "bench" / "load.py"
    spec = importlib.util.spec_from_file_location("hunar_bench_load", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_short_conversations_are_handled_exactly_once_in_order():
    load = _load()
    steps = load.CONVERSATION[:7]  # greeting … craft, an album of 3 photos, "बस"
    photos = load.make_photos(3)
    with load.deployment(database_url=DATABASE_URL, redis_url=REDIS_URL) as dep:
        run = asyncio.run(load.conversations(dep, artisans=5, think=0.05, steps=steps, photos=photos,
                                             reply_timeout=20, deadline=60))
        load.drain(dep, run, 30)
        memory = dep.memory()
        problems, figures = load.audit(dep, run, listings=False)
        processes = list(dep.procs.values())
    assert not run.errors, run.errors
    assert problems == []
    assert figures["inbound"] == 5 * (6 + 3)
    assert run.reply_timeouts == 0
    assert any(k.startswith("gunicorn worker") for k in memory) and any(k.startswith("rq ") for k in memory)
    assert all(p.poll() is not None for p in processes)  # everything it started is stopped
