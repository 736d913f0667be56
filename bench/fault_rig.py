"""The fault bench's machinery around bench/load.py's Deployment: a Redis of its own that can be killed, the
periodic jobs as `rq cron deploy/cron.py` runs them, systemd's restarts, waiting for the work to settle, and the
audit's transcript read from the database and the fake Twilio."""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import load
from bench.fault_audit import Reply, Transcript

ROOT = Path(__file__).resolve().parents[1]
WORKER_RESTART_SEC = 2.0  # deploy/hunar-worker@.service: Restart=always, RestartSec=2
CRON_RESTART_SEC = 5.0  # deploy/hunar-cron.service: Restart=always, RestartSec=5


class PrivateRedis:
    """A redis-server on a free port, with nothing saved: killed and started again, it comes back empty."""

    def __init__(self):
        self.port = load.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def start_cron(dep: load.Deployment) -> None:
    """`rq cron deploy/cron.py --url $REDIS_URL`, as the Procfile and deploy/hunar-cron.service run it."""
    log = open(dep.log_path, "ab") if dep.log_path else subprocess.DEVNULL  # noqa: SIM115
    dep.procs[f"cron{time.monotonic_ns()}"] = subprocess.Popen(
        [str(ROOT / ".venv/bin/rq"), "cron", "deploy/cron.py", "--url", dep.redis_url], cwd=ROOT, env=dep.env,
        stdout=log, stderr=log, start_new_session=True)
    if log is not subprocess.DEVNULL:
        log.close()


class Systemd(threading.Thread):
    """Restarts a worker or the cron that has exited, for whatever reason, after the unit's RestartSec."""

    def __init__(self, dep: load.Deployment):
        super().__init__(daemon=True)
        self.dep = dep
        self.stop_event = threading.Event()
        self.seen: set[str] = set()
        self.restarts: dict[str, int] = defaultdict(int)  # "worker" / "cron" -> restarts
        self.exits: list[tuple[float, str, int]] = []  # (wall time, process, exit code) of every exit noticed

    def run(self) -> None:
        while not self.stop_event.wait(0.1):
            for name, proc in list(self.dep.procs.items()):
                if name in self.seen or name == "web" or proc.poll() is None:
                    continue
                self.seen.add(name)
                kind = "cron" if name.startswith("cron") else "worker"
                self.exits.append((time.time(), name, proc.returncode))
                threading.Timer(CRON_RESTART_SEC if kind == "cron" else WORKER_RESTART_SEC,
                                self._restart, args=(kind,)).start()

    def _restart(self, kind: str) -> None:
        if self.stop_event.is_set():
            return
        self.restarts[kind] += 1
        start_cron(self.dep) if kind == "cron" else self.dep.start_worker()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


def settle(dep: load.Deployment, acked: int, *, deadline: float, quiet: float) -> float:
    """Wait until every acknowledged message is recorded and handled and no reply waits; or, with nothing left
    waiting in the database but messages never recorded, until nothing has changed for `quiet` seconds; or until
    `deadline` seconds. Returns the wall time it stopped."""
    engine = create_engine(dep.url)
    end = time.monotonic() + deadline
    last, changed = None, time.monotonic()
    try:
        while time.monotonic() < end:
            try:
                with engine.connect() as conn:
                    row = tuple(conn.execute(text(
                        "SELECT count(*) FILTER (WHERE direction='in'), "
                        "count(*) FILTER (WHERE direction='in' AND status='received'), "
                        "count(*) FILTER (WHERE direction='out' AND status='pending') FROM messages")).one())
            except Exception:  # noqa: BLE001 - the database may be cut right now: try again
                time.sleep(0.5)
                continue
            state = (*row, dep.fake.creates)
            if state != last:
                last, changed = state, time.monotonic()
            if row[1] == 0 and row[2] == 0 and (row[0] >= acked or time.monotonic() - changed > quiet):
                return time.time()
            time.sleep(0.2)
    finally:
        engine.dispose()
    return time.time()


def transcript(dep: load.Deployment, run: load.Run, fault_at: float | None) -> Transcript:
    """The audit's input: the measured artisans' acknowledged steps, the rows recorded, the fake's creates."""
    dep.fake.sync()
    engine = create_engine(dep.url)
    with engine.connect() as conn:
        inbound = {sid: mid for sid, mid in conn.execute(text(
            "SELECT twilio_sid, id FROM messages WHERE direction='in'"))}
        replies = [Reply(row, address, int(reply_to) if reply_to else None, sid, body or "")
                   for row, address, reply_to, sid, body in conn.execute(text(
                       "SELECT m.id, a.address, m.extra->>'in_reply_to', m.twilio_sid, m.body FROM messages m "
                       "JOIN conversations c ON c.id = m.conversation_id JOIN artisans a ON a.id = c.artisan_id "
                       "WHERE m.direction='out'"))]
    engine.dispose()
    steps: dict[str, list[list[str]]] = {}
    for address, items in run.sent.items():
        grouped: list[list[str]] = []
        previous = None
        for kind, _body, sid in items:
            if run.answers.get(sid) != "200":
                continue  # not acknowledged: Twilio knows it failed (counted as refused)
            if kind == "photo" and previous == "photo":
                grouped[-1].append(sid)  # an album's photos are answered once
            else:
                grouped.append([sid])
            previous = kind
        steps[address] = grouped
    creates = {address: list(dep.fake.by_to.get(address, [])) for address in run.sent}
    return Transcript(steps, inbound, replies, creates, fault_at)


class CpuMeter(threading.Thread):
    """CPU seconds per kind of process, sampled every half second per process, so a worker SIGKILLed (or a
    PostgreSQL backend whose connection was cut) still counts up to its last sample: bench/load.py's cpu_seconds
    sums only the processes alive at the end."""

    def __init__(self, dep: load.Deployment, redis: PrivateRedis):
        super().__init__(daemon=True)
        self.dep, self.redis = dep, redis
        self.base: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.stop_event = threading.Event()

    def sample(self) -> dict[int, tuple[str, float]]:
        ours = {self.dep.fake.pid: "fake Twilio", self.redis.proc.pid: "redis", os.getpid(): "artisans"}
        for name, proc in list(self.dep.procs.items()):
            ours[proc.pid] = "web" if name == "web" else "cron" if name.startswith("cron") else "rq workers"
        found, parents = load.process_times()
        seen = {}
        for pid, (comm, secs) in found.items():
            kind = ours.get(pid) or ours.get(parents.get(pid))
            if kind is None and comm.startswith("postgres"):
                kind = "postgresql"  # every backend of the server, other users' too
            if kind:
                seen[pid] = (kind, secs)
        return seen

    def run(self) -> None:
        self.last = self.sample()
        self.base = {pid: secs for pid, (_, secs) in self.last.items()}
        while not self.stop_event.wait(0.5):
            self.last.update(self.sample())

    def totals(self) -> dict[str, float]:
        """CPU seconds per kind since the meter started (stops it)."""
        self.stop_event.set()
        self.join(timeout=5)
        self.last.update(self.sample())
        totals: dict[str, float] = defaultdict(float)
        for pid, (kind, secs) in self.last.items():
            totals[kind] += secs - self.base.get(pid, 0.0)
        return dict(totals)
