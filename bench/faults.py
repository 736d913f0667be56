"""Hunar in production shape while things fail (issue 20): each fault its own run, each run audited for lost,
duplicated and reordered replies.

The deployment is bench/load.py's: gunicorn with gunicorn.conf.py (2 workers), two `python -m bot.worker` workers
(restarted as systemd would, 2 s after any exit), the periodic jobs as `rq cron deploy/cron.py` runs them
(restarted 5 s after an exit), a PostgreSQL database of its own reached through a TCP proxy the bench can cut
(bench/fault_proxy.py), a private `redis-server --save "" --appendonly no` on a free port, and the fake Twilio of
bench/fake_twilio.py. Production logging: INFO, JSON, gunicorn's access log on (written to a file under /tmp).

N artisans (200) each send a whole listing conversation (Hindi answers and an album of 3 photos, bench/load.py's
CONVERSATION) as signed webhooks, waiting for each reply. Scenarios, each a run of its own:

  baseline   nothing fails
  redis      Redis killed --fault-at s into the run and started again, empty, 2 s later
  postgres   every connection to PostgreSQL reset, and new ones refused, for 3 s
  kill       a worker SIGKILLed at 10 random moments (2-6 s apart), each restarted 2 s later
  twilio     the fake Twilio refuses 20 % of creates (half 429 with Retry-After: 1, half 500)
  openloop   100 messages/s offered open loop (texts), ack p50/p99 with production logging on

Each prints, and with --record keeps in bench/results.json and bench/RESULTS.md: webhooks acknowledged and
refused, lost / duplicated / reordered replies (bench/fault_audit.py), the longest gap between replies from the
fault on, end-to-end throughput, ack p50/p99, the host's load, a CPU calibration and CPU per message.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/faults.py \\
        [--scenarios baseline,redis,postgres,kill,twilio,openloop] [--artisans 200] [--record before]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.fault_audit import audit  # noqa: E402
from bench.fault_proxy import CuttableProxy  # noqa: E402
from bench.fault_rig import CpuMeter, PrivateRedis, Systemd, settle, start_cron, transcript  # noqa: E402
from bench.fault_report import SECTION, render, summary  # noqa: E402
from bench.under_attack import cpu_calibration  # noqa: E402

SCENARIOS = ("baseline", "redis", "postgres", "kill", "twilio", "openloop")
PRODUCTION_LOGGING = {"HUNAR_LOG_LEVEL": "INFO", "HUNAR_LOG_FORMAT": "json", "ACCESS_LOG": "1"}


class Fault(threading.Thread):
    """Does the scenario's damage `at` seconds after it starts; keeps when it began and ended."""

    def __init__(self, scenario: str, dep, redis: PrivateRedis, proxy: CuttableProxy, at: float, kills: int,
                 seed: int = 20):
        super().__init__(daemon=True)
        self.scenario, self.dep, self.redis, self.proxy = scenario, dep, redis, proxy
        self.at, self.kills, self.rnd = at, kills, random.Random(seed)
        self.began: float | None = None
        self.ended: float | None = None
        self.killed: list[float] = []

    def run(self) -> None:
        time.sleep(self.at)
        for part in self.scenario.split("+"):  # "redis+kill": one after the other (the suite's short run)
            self.damage(part)

    def live_workers(self, seconds: float = 30.0) -> list[str]:
        """The workers running now, waiting (up to `seconds`) while systemd restarts them (after a Redis outage
        both may have exited)."""
        deadline = time.monotonic() + seconds
        while not (live := self.dep.workers()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return live

    def damage(self, part: str) -> None:
        began = time.time()
        if part == "redis":
            self.redis.kill()
            time.sleep(2.0)
            self.redis.start()
        elif part == "postgres":
            began, _ = self.proxy.cut(3.0)
        elif part == "kill":
            for n in range(self.kills):
                live = self.live_workers()
                if live:
                    try:
                        self.dep.kill_worker(self.rnd.choice(live))  # Systemd starts it again 2 s later
                        self.killed.append(time.time())
                    except ProcessLookupError:
                        pass  # it had just exited by itself
                if n + 1 < self.kills:
                    time.sleep(self.rnd.uniform(2.0, 6.0))
        else:
            return  # baseline, twilio: nothing to break here
        self.began = self.began or began
        self.ended = time.time()


def deployment(args, scenario: str, redis: PrivateRedis, proxy: CuttableProxy):
    return load.deployment(
        database_url=os.environ["DATABASE_URL"], db_proxy_port=proxy.port, redis_url=redis.url, lock_timeout=args.lock_timeout,
        twilio_latency=args.twilio_latency, twilio_failure=0.2 if scenario == "twilio" else 0.0,
        extra_env=dict(PRODUCTION_LOGGING), log_path=f"/tmp/hunar-faults-{os.getpid()}-{scenario}.log")


def conversation_run(args, scenario: str) -> dict:
    """One scenario with the artisans' listing conversations; returns its figures."""
    upstream = urlsplit(os.environ["DATABASE_URL"]).port or 5432
    redis, proxy = PrivateRedis(), CuttableProxy(upstream)
    try:
        with deployment(args, scenario, redis, proxy) as dep:
            start_cron(dep)
            systemd = Systemd(dep)
            systemd.start()
            warm = load.warm_up(dep, args.warm_up) if args.warm_up else None
            calibration, load_before, meter = cpu_calibration(), load.loadavg(), CpuMeter(dep, redis)
            meter.start()
            fault = Fault(scenario, dep, redis, proxy, args.fault_at, args.kills)
            fault.start()
            run = asyncio.run(load.conversations(dep, artisans=args.artisans, think=args.think,
                                                 steps=load.CONVERSATION[:args.steps or None], photos=load.make_photos(3),
                                                 reply_timeout=args.reply_timeout, deadline=args.deadline))
            fault.join()
            acked = sum(1 for s in run.answers.values() if s == "200") + (
                sum(len(v) for v in warm.sent.values()) if warm else 0)
            settled = settle(dep, acked, deadline=args.settle, quiet=args.quiet)
            cpu = meter.totals()
            findings = audit(transcript(dep, run, fault.began))
            systemd.stop()
            figures = summary(scenario, run, findings, dep.fake, cpu, fault, systemd, settled)
    finally:
        proxy.close()
        redis.stop()
    figures.update(load_before=load_before, load_after=load.loadavg(), calibration_s=[
        round(calibration, 3), round(cpu_calibration(), 3)], artisans=args.artisans)
    return figures


def open_loop_run(args) -> dict:
    """100 messages/s offered (texts, open loop) to artisans Hunar knows; ack latency with production logging."""
    upstream = urlsplit(os.environ["DATABASE_URL"]).port or 5432
    redis, proxy = PrivateRedis(), CuttableProxy(upstream)
    try:
        with deployment(args, "openloop", redis, proxy) as dep:
            start_cron(dep)
            load.warm_up(dep, args.warm_up or 10, introduce=args.open_artisans)
            calibration, load_before, meter = cpu_calibration(), load.loadavg(), CpuMeter(dep, redis)
            meter.start()
            run = asyncio.run(load.blast(dep, artisans=args.open_artisans, messages=args.open_messages,
                                         concurrency=0, rate=args.rate))
            acked = sum(1 for s in run.answers.values() if s == "200")
            # The workers' share of the CPU is spent after the acks: counted once the replies are out.
            settle(dep, acked + args.open_artisans + 5 * (args.warm_up or 10), deadline=args.settle,
                   quiet=args.quiet)
            figures = summary("openloop", run, None, dep.fake, meter.totals(), None, None, time.time())
    finally:
        proxy.close()
        redis.stop()
    figures.update(load_before=load_before, load_after=load.loadavg(), offered_per_s=args.rate, late=run.late,
                   calibration_s=[round(calibration, 3), round(cpu_calibration(), 3)], acked=acked,
                   artisans=args.open_artisans)
    return figures


def code_version() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--artisans", type=int, default=200)
    ap.add_argument("--steps", type=int, default=0, help="only the first N steps of the conversation (0: all)")
    ap.add_argument("--think", type=float, default=0.4, help="mean seconds an artisan thinks between messages")
    ap.add_argument("--fault-at", type=float, default=15.0, help="seconds into the run the fault begins")
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--warm-up", type=int, default=10, help="artisans sending 5 texts each before the clock starts")
    ap.add_argument("--reply-timeout", type=float, default=120.0,
                    help="an artisan waits this long for a reply, then goes on (its next message wakes a stalled "
                         "conversation: long enough that the recovery, not the artisan, ends a stall)")
    ap.add_argument("--deadline", type=float, default=900.0, help="seconds the artisans have for their run")
    ap.add_argument("--settle", type=float, default=300.0, help="at most this long for the work to finish after")
    ap.add_argument("--quiet", type=float, default=60.0,
                    help="stop waiting once nothing is left waiting in the database and nothing changed this long")
    ap.add_argument("--lock-timeout", type=float, default=30.0, help="HUNAR_LOCK_TIMEOUT_SECONDS, as deployed")
    ap.add_argument("--twilio-latency", type=float, default=0.0, help="seconds the fake Twilio takes per create")
    ap.add_argument("--rate", type=float, default=100.0, help="openloop: messages/s offered")
    ap.add_argument("--open-artisans", type=int, default=100)
    ap.add_argument("--open-messages", type=int, default=20)
    ap.add_argument("--record", default=None, help="label under which the runs go in bench/RESULTS.md")
    ap.add_argument("--notes", default="")
    return ap


def main(argv=None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        print("needs DATABASE_URL (PostgreSQL; the bench makes a database of its own there)", file=sys.stderr)
        return 2
    chosen = [s for s in args.scenarios.split(",") if s]
    unknown = {part for s in chosen for part in s.split("+")} - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    clean = True
    for scenario in chosen:
        print(f"== {scenario} ==", flush=True)
        figures = open_loop_run(args) if scenario == "openloop" else conversation_run(args, scenario)
        figures.update(when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), code=code_version(),
                       cores=os.cpu_count(), command="bench/faults.py " + " ".join(sys.argv[1:]), notes=args.notes)
        print(render({scenario: figures}, detail=True), flush=True)
        clean = clean and not any(figures.get(k) for k in ("lost", "duplicated", "reordered", "stray"))
        if args.record:
            load.record_section("faults", f"{args.record} {scenario}", figures, SECTION, render)
    return 0 if clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
