"""A short run of bench/load.py's machinery: gunicorn + 2 RQ workers on real PostgreSQL and Redis, a fake Twilio,
5 artisans × the first steps of a listing conversation (text and an album). Asserts exactly once and in order;
no timing assertions (the figures belong to bench/RESULTS.md, measured on a quiet machine)."""
from __future__ import annotations

import asyncio

from tests.bench.services import DATABASE_URL, REDIS_URL, bench_script, needs_services

pytestmark = needs_services


def test_short_conversations_are_handled_exactly_once_in_order():
    load = bench_script("load")
    steps = load.CONVERSATION[:7]  # greeting … craft, an album of 3 photos, "बस"
    photos = load.make_photos(3)
    with load.deployment(database_url=DATABASE_URL, redis_url=REDIS_URL) as dep:
        # Generous waits: each ends as soon as its condition holds, so only a loaded machine ever uses them up.
        run = asyncio.run(load.conversations(dep, artisans=5, think=0.05, steps=steps, photos=photos,
                                             reply_timeout=180, deadline=900))
        load.drain(dep, run, 300)
        memory = dep.memory()
        problems, figures = load.audit(dep, run, listings=False)
        processes = list(dep.procs.values())
    assert not run.errors, run.errors
    assert problems == []
    assert figures["inbound"] == 5 * (6 + 3)
    assert run.reply_timeouts == 0
    assert any(k.startswith("gunicorn worker") for k in memory) and any(k.startswith("rq ") for k in memory)
    assert all(p.poll() is not None for p in processes)  # everything it started is stopped
