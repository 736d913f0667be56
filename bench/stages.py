"""CPU per text message in each stage of its path, one stage at a time, on PostgreSQL and Redis.

    DATABASE_URL=postgresql://… REDIS_URL=redis://… .venv/bin/python bench/stages.py [--artisans 100] [--profile job]

bench/load.py measures the whole deployment, where seven processes share two cores and a run's figure moves by
a fifth with the host's load. This runs the same texts through the same code in one thread, stage by stage, and
charges each stage the CPU time of that thread (time.thread_time), so a change to one stage shows as microseconds
of that stage:

  webhook  Twilio's signed POST through the Flask app (signature, door, Redis marks), without gunicorn;
  job      the drain job's work for one conversation (lock, look, engine, writes, commit);
  send     a sending thread's flush (lock, pending replies, send bucket, Twilio call, record).

Not counted: what the other side spends (PostgreSQL, Redis, the fake Twilio), gunicorn, RQ's own bookkeeping.
`--profile STAGE` writes that stage's cProfile to /tmp/hunar-STAGE.prof and prints its top functions.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fake_twilio import RecordingTwilio  # noqa: E402
from bench.load import TEXTS, WHATSAPP_FROM, artisan_address, form_for  # noqa: E402
from bot.web.webhook import sign  # noqa: E402
from db import Database, normalise_url  # noqa: E402
from fakes.twilio import ACCOUNT, TOKEN  # noqa: E402

STAGES = ("webhook", "job", "send")
HOOK = "http://127.0.0.1/webhooks/twilio"
WARM_UP_FIRST = 50_000_000  # the warm-up's artisans, apart from the measured ones


def build_app(url: str, redis_url: str, fake: RecordingTwilio):
    """The production app's services on a fresh database, sending to the fake Twilio; jobs are run by hand."""
    from app import create_app, settle

    app = create_app({
        "ENV": "production", "SECRET_KEY": "stages-" + uuid.uuid4().hex, "DATABASE_URL": url, "REDIS_URL": redis_url,
        "REDIS_PREFIX": f"stages{uuid.uuid4().hex[:8]}:", "JOBS_INLINE": False, "SEND_THREADS": 0,
        "INSTANCE_PATH": f"/tmp/hunar-stages-{os.getpid()}", "PUBLIC_BASE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING", "TWILIO_ENABLED": True, "TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM, "TWILIO_API_BASE": fake.url, "TWILIO_SEND_RATE": 100000,
        "INBOUND_RATE_LIMIT": 100000, "DESK_WHATSAPP": "+919812345678"})
    settle()
    return app


def run(app, artisans: int, messages: int, profile: str | None, first: int = 0) -> dict[str, list[float]]:
    """Every artisan's texts, round by round: each text's webhook, then its job, then its send."""
    from bot import jobs

    services = app.extensions["hunar"]
    client = app.test_client()
    spent = {stage: [] for stage in STAGES}
    profiler = cProfile.Profile() if profile else None
    conversation = {}

    def timed(stage: str, call):
        if profiler and stage == profile:
            profiler.enable()
        start = time.thread_time()
        result = call()
        spent[stage].append(time.thread_time() - start)
        if profiler and stage == profile:
            profiler.disable()
        return result

    for i in range(messages):
        for n in range(artisans):
            address = artisan_address(first + n)
            form = form_for(address, first + n, TEXTS[i % len(TEXTS)])
            body = urlencode(form)
            headers = {"X-Twilio-Signature": sign(HOOK, form, TOKEN),
                       "Content-Type": "application/x-www-form-urlencoded"}
            answer = timed("webhook", lambda: client.post("/webhooks/twilio", data=body, headers=headers,
                                                          base_url="http://127.0.0.1"))
            assert answer.status_code == 200, answer.data
            if n not in conversation:
                with services.db.session() as session:
                    conversation[n] = session.execute(text(
                        "SELECT c.id FROM conversations c JOIN artisans a ON a.id = c.artisan_id "
                        "WHERE a.address = :a"), {"a": address}).scalar_one()
            cid = conversation[n]
            services.redis.zrem(f"{services.settings['REDIS_PREFIX']}ready", str(cid))  # we are the drain job
            timed("job", lambda: services.turns.process(cid, send=False))

            def send():
                with services.metrics.batch():
                    jobs.flush_conversation(cid, services=services)
            timed("send", send)
    if profiler:
        path = f"/tmp/hunar-{profile}.prof"
        profiler.dump_stats(path)
        print(f"cProfile of {profile}: {path}")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return spent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--artisans", type=int, default=100)
    ap.add_argument("--messages", type=int, default=20)
    ap.add_argument("--warm-up", type=int, default=3, help="rounds of texts before the counted ones")
    ap.add_argument("--profile", choices=STAGES, default=None)
    args = ap.parse_args(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url and redis_url):
        ap.error("set DATABASE_URL and REDIS_URL")
    admin = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
    name = f"hunar_stages_{os.getpid()}"
    url = normalise_url(database_url).rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    fake = RecordingTwilio()
    try:
        Database(url).upgrade()
        app = build_app(url, redis_url, fake)
        run(app, artisans=20, messages=args.warm_up, profile=None, first=WARM_UP_FIRST)
        spent = run(app, artisans=args.artisans, messages=args.messages, profile=args.profile)
        fake.sync()
        replies = sum(len(fake.by_to.get(artisan_address(n), ())) for n in range(args.artisans))
        services = app.extensions["hunar"]
        prefix = services.settings["REDIS_PREFIX"]
        keys = list(services.redis.scan_iter(match=prefix + "*", count=1000))
        if keys:
            services.redis.delete(*keys)
        services.db.dispose()
    finally:
        fake.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    count = len(spent["webhook"])
    print(f"{count} text messages, {args.artisans} artisans, {replies} replies accepted by the fake Twilio; "
          "CPU of the thread per message (µs):")
    total = 0.0
    for stage in STAGES:
        values = sorted(spent[stage])
        mean = sum(values) / len(values) * 1e6
        total += mean
        print(f"  {stage:8} mean {mean:7.0f}   median {values[len(values) // 2] * 1e6:7.0f}"
              f"   p90 {values[int(len(values) * 0.9)] * 1e6:7.0f}")
    print(f"  {'all':8} mean {total:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
