"""Load benchmark of the Twilio webhook: gunicorn (2 workers) + 2 RQ workers, real PostgreSQL and Redis, fake Twilio.

200 simulated artisans each send a conversation's worth of signed webhooks (a few are redelivered, as Twilio
does), waiting for each acknowledgement before the next, with a think time between. Prints acknowledgements per
second and ack latency (p50/p99/max), waits for the workers to drain, then checks every message was handled
exactly once and in order, and that every reply reached the fake Twilio once.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/webhook_load.py [--artisans 200] [--messages 8] [--think 0.5]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import aiohttp
import requests
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.web.webhook import sign  # noqa: E402
from db import Database, normalise_url  # noqa: E402
from db.models import Message  # noqa: E402
from fakes.twilio import ACCOUNT, TOKEN, FakeTwilio  # noqa: E402

TEXTS = ["नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी", "बस", "लाल सूती दरी", "500 रुपये", "2 पीस", "हाँ"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--artisans", type=int, default=200)
    ap.add_argument("--messages", type=int, default=8, help="messages per artisan (at most %d)" % len(TEXTS))
    ap.add_argument("--think", type=float, default=0.5, help="mean seconds an artisan waits between messages")
    ap.add_argument("--redeliver", type=float, default=0.05, help="share of webhooks Twilio sends twice")
    ap.add_argument("--drain", type=float, default=240, help="seconds to wait for the workers to finish")
    ap.add_argument("--nice", type=int, default=10, help="niceness of the RQ workers (0: same priority as web)")
    args = ap.parse_args()
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url and redis_url):
        print("needs DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2

    admin = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
    name = f"hunar_bench_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = normalise_url(database_url).rsplit("/", 1)[0] + "/" + name
    Database(url).upgrade()
    fake = FakeTwilio()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    prefix = f"bench:{uuid.uuid4().hex[:8]}:"
    instance = Path("/tmp") / f"hunar-bench-{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUNAR_")}
    env.update(HUNAR_DATABASE_URL=url, HUNAR_REDIS_URL=redis_url, HUNAR_REDIS_PREFIX=prefix,
               HUNAR_JOBS_INLINE="false", HUNAR_INSTANCE_PATH=str(instance), HUNAR_PUBLIC_BASE_URL=base,
               HUNAR_SECRET_KEY="bench", HUNAR_LOG_LEVEL="WARNING", HUNAR_TWILIO_ENABLED="true", ACCESS_LOG="0",
               HUNAR_TWILIO_ACCOUNT_SID=ACCOUNT, HUNAR_TWILIO_AUTH_TOKEN=TOKEN,
               HUNAR_TWILIO_WHATSAPP_FROM="whatsapp:+14155238886", HUNAR_TWILIO_API_BASE=fake.url,
               HUNAR_TWILIO_MEDIA_HOSTS=f"127.0.0.1:{fake.port}", HUNAR_TWILIO_MEDIA_AUTH_HOSTS=f"127.0.0.1:{fake.port}")
    procs: list[subprocess.Popen] = []
    try:
        procs.append(subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "app:create_app()", "--workers", "2", "--worker-class", "gthread",
             "--threads", "8", "--keep-alive", "30", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env))
        for _ in range(2):  # background work yields the CPU to acknowledgements on a shared machine
            procs.append(subprocess.Popen(
                ["nice", "-n", str(args.nice), sys.executable, "-m", "bot.worker"], cwd=ROOT, env=env))
        wait_http(base + "/healthz")
        sent, latencies = run(base, args)
        drained = drain(url, sent, fake, args.drain)
        return check(url, sent, fake, latencies, drained)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        fake.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"*{prefix.rstrip(':')}*", count=1000))
        if keys:
            client.delete(*keys)


def run(base: str, args) -> tuple[dict[str, list[str]], list[float]]:
    """Every artisan a coroutine (one client thread, so the client's own GIL does not distort the timings):
    send, wait for the ack, think, send the next. A connection error is retried with the same MessageSid, as
    Twilio retries a failed connect."""
    return asyncio.run(_run(base, args))


async def _run(base: str, args):
    sent: dict[str, list[str]] = defaultdict(list)  # address -> bodies in order
    latencies: list[float] = []
    errors: list[str] = []
    hook = base + "/webhooks/twilio"

    async def post(http, form, headers) -> None:
        for attempt in range(3):
            start = time.perf_counter()
            try:
                async with http.post(hook, data=form, headers=headers) as resp:
                    body = await resp.read()
                    latencies.append(time.perf_counter() - start)
                    if resp.status != 200 or b"<Response" not in body:
                        errors.append(f"{resp.status} {body[:80]!r}")
                    return
            except aiohttp.ClientError as exc:
                if attempt == 2:
                    errors.append(repr(exc))

    async def artisan(http, n: int) -> None:
        address = f"whatsapp:+9197{n:08d}"
        rnd = random.Random(n)
        await asyncio.sleep(rnd.uniform(0, args.think))  # not all at the same instant
        for body in TEXTS[:args.messages]:
            form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT, "From": address,
                    "To": "whatsapp:+14155238886", "Body": body, "NumMedia": "0", "NumSegments": "1",
                    "ProfileName": f"Artisan {n}", "WaId": address.split("+")[1], "SmsStatus": "received",
                    "ApiVersion": "2010-04-01"}
            headers = {"X-Twilio-Signature": sign(hook, form, TOKEN), "I-Twilio-Idempotency-Token": uuid.uuid4().hex}
            for _ in range(2 if rnd.random() < args.redeliver else 1):
                await post(http, form, headers)
            sent[address].append(body)
            await asyncio.sleep(rnd.expovariate(1 / args.think) if args.think else 0)

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=15)) as http:
        start = time.perf_counter()
        await asyncio.gather(*(artisan(http, n) for n in range(args.artisans)))
        wall = time.perf_counter() - start
    total = len(latencies)
    distinct = sum(len(v) for v in sent.values())
    print(f"sent {total} webhooks ({distinct} distinct messages, {total - distinct} redeliveries) "
          f"from {args.artisans} artisans in {wall:.1f}s")
    print(f"acknowledgements/s: {total / wall:.0f}   ack latency p50 {percentile(latencies, .5) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, .99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms, "
          f"mean {statistics.mean(latencies) * 1000:.1f} ms")
    if errors:
        print(f"FAILED acknowledgements: {len(errors)}, e.g. {errors[:3]}")
    return sent, latencies


def drain(url: str, sent: dict, fake: FakeTwilio, seconds: float) -> float:
    """Wait until no inbound message waits and no reply is pending; returns the seconds it took."""
    engine = create_engine(url)
    start = time.perf_counter()
    expected = sum(len(v) for v in sent.values())
    with engine.connect() as conn:
        while time.perf_counter() - start < seconds:
            waiting = conn.execute(text("SELECT count(*) FROM messages WHERE direction='in' AND status='received'"
                                        )).scalar()
            pending = conn.execute(text("SELECT count(*) FROM messages WHERE direction='out' "
                                        "AND status IN ('pending', 'sending')")).scalar()
            recorded = conn.execute(text("SELECT count(*) FROM messages WHERE direction='in'")).scalar()
            conn.commit()
            if waiting == 0 and pending == 0 and recorded >= expected:
                break
            time.sleep(0.25)
    took = time.perf_counter() - start
    engine.dispose()
    print(f"workers drained the queue {took:.1f}s after the last acknowledgement")
    return took


def check(url: str, sent: dict, fake: FakeTwilio, latencies: list[float], drained: float) -> int:
    """Exactly once and in order, per artisan; every reply sent once."""
    db = Database(url)
    problems: list[str] = []
    with db.session() as s:
        rows = list(s.scalars(select(Message).order_by(Message.id)))
        from db.models import Artisan, Conversation

        address_of = {c.id: a.address for c, a in s.execute(select(Conversation, Artisan).join(
            Artisan, Artisan.id == Conversation.artisan_id))}
    inbound = [m for m in rows if m.direction == "in"]
    outbound = [m for m in rows if m.direction == "out"]
    by_address: dict[str, list[Message]] = defaultdict(list)
    for m in inbound:
        by_address[address_of[m.conversation_id]].append(m)
    expected = sum(len(v) for v in sent.values())
    if len(inbound) != expected:
        problems.append(f"{len(inbound)} inbound rows for {expected} messages (duplicates or losses)")
    for address, bodies in sent.items():
        got = by_address.get(address, [])
        if [m.body for m in got] != bodies:
            problems.append(f"{address}: recorded {[m.body for m in got]} for {bodies}")
        if any(m.status != "processed" for m in got):
            problems.append(f"{address}: statuses {[m.status for m in got]}")
        stamps = [m.processed_at for m in got]
        if None not in stamps and stamps != sorted(stamps):
            problems.append(f"{address}: handled out of order")
    answered: dict[int, set] = defaultdict(set)
    for m in outbound:
        answered[(m.extra or {}).get("in_reply_to")].add(m.created_at)
    twice = [mid for mid, stamps in answered.items() if len(stamps) > 1]
    if twice:
        problems.append(f"{len(twice)} messages answered by two separate runs of the engine")
    replies_in_order = all(
        [(o.extra or {}).get("in_reply_to") for o in outbound if o.conversation_id == cid] ==
        sorted((o.extra or {}).get("in_reply_to") for o in outbound if o.conversation_id == cid)
        for cid in {o.conversation_id for o in outbound})
    if not replies_in_order:
        problems.append("replies left out of order")
    not_sent = [m.status for m in outbound if m.status not in ("queued", "sent", "delivered")]
    if not_sent:
        problems.append(f"{len(not_sent)} replies not sent: {sorted(set(not_sent))}")
    sids = [m.twilio_sid for m in outbound if m.twilio_sid]
    if len(fake.sent) != len(outbound) or len(set(sids)) != len(sids):
        problems.append(f"fake Twilio got {len(fake.sent)} creates for {len(outbound)} replies")
    print(f"inbound {len(inbound)} processed, outbound {len(outbound)} sent once each to the fake Twilio")
    db.dispose()
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems[:20]))
        return 1
    print("every message handled exactly once, in order")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
