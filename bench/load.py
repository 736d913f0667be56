"""Hunar in production shape under load (issue 9): a deployment of its own, simulated artisans, an audit.

Starts everything it measures and stops it again: a fresh PostgreSQL database, a Redis key prefix of its own,
gunicorn with gunicorn.conf.py (2 workers), 2 RQ workers (`python -m bot.worker`, as the Procfile), and a
local fake Twilio (REST API + media host, answering as fakes/twilio.py does) in a process of its own
(bench/fake_twilio.py, a lean asyncio server).

Modes (each prints its figures, audits the database, and records the run in bench/RESULTS.md):

  conversation (default)  N artisans (200) each send a whole listing conversation (~20 messages: text and an album
                          of 3 real JPEGs) as signed webhooks, waiting for the bot's reply to each before the next,
                          with a short think time. Ack rate and latency, end-to-end reply latency, messages/s.
  throughput              text only: many artisans send their messages without waiting for replies, back to back
                          (64 in flight) or, with --rate R, open loop: each on a schedule, R messages/s in all;
                          time until every message is handled and every reply sent ("300 text messages/s").
  (warm-up)               before the clock starts, 20 other artisans send 5 texts each (and in throughput mode each
                          measured artisan says hello): audited with the run, not timed (--warm-up 0: none).
  --kill-worker           either mode, with one RQ worker SIGKILLed mid-run and a replacement started;
                          bot.jobs.recover_stalled runs every few seconds (as `rq cron deploy/cron.py` would).
  micro                   runs bench/nlu.py, bench/photos.py and bench/startup.py and records their output.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/load.py [--artisans 200] [--kill-worker]
    ... bench/load.py throughput [--artisans 300 --messages 20] [--rate 300]
    ... bench/load.py micro
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fake_twilio import RecordingTwilio  # noqa: E402
from bot.web.webhook import sign  # noqa: E402
from db import Database, normalise_url  # noqa: E402
from fakes.twilio import ACCOUNT, TOKEN  # noqa: E402

WHATSAPP_FROM = "whatsapp:+14155238886"
RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"

# A whole listing conversation (tests/transcripts/01 and 21): ("text", body) or ("photos", how many, sent as an album).
CONVERSATION: list[tuple] = [
    ("text", "नमस्ते"), ("text", "हाँ"), ("text", "सुनीता देवी"), ("text", "हिसार"), ("text", "दरी बुनाई"),
    ("photos", 3), ("text", "बस"), ("text", "दरी"), ("text", "सूती"), ("text", "लाल और नीला"),
    ("text", "6 बाई 4 फीट"), ("text", "1200 रुपये"), ("text", "5"), ("text", "हाथ से बुनी है, पक्का रंग"),
    ("text", "हाँ"), ("text", "मेरी लिस्टिंग"), ("text", "नया सामान"), ("text", "रद्द"),
]
# Text only, for the throughput mode (an artisan typing through onboarding and a listing's questions).
TEXTS = ["नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई", "बस", "दरी", "सूती", "लाल और नीला", "6 बाई 4 फीट",
         "1200 रुपये", "5", "हाथ से बुनी है", "हाँ", "मेरी लिस्टिंग", "नया सामान", "रद्द", "हाँ", "मदद", "धन्यवाद"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def with_comment(jpeg: bytes, note: str) -> bytes:
    """The same picture with a JPEG comment segment: other bytes (another sha256), identical pixels."""
    data = note.encode()
    return jpeg[:2] + b"\xff\xfe" + (len(data) + 2).to_bytes(2, "big") + data + jpeg[2:]


def make_photos(count: int = 3) -> list[bytes]:
    """Distinct good product photos (fakes/images.py album_photo): each passes the photo check."""
    from fakes.images import album_photo

    return [album_photo(i) for i in range(count)]


def nice_autogroup(pid: int, nice: int) -> None:
    """Give a process's session its niceness too: with autogroup scheduling (Linux's default for desktops and
    many servers) each session competes as one group, and a nice value only counts inside its own group, so a
    worker alone in its session at nice 10 would still take an equal share from the web processes."""
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except OSError:
        pass  # no autogroup scheduling here: plain nice already does it


# --- the deployment -----------------------------------------------------------------------------------------


@dataclass
class Deployment:
    """gunicorn + RQ workers on a database and Redis prefix of their own, talking to a fake Twilio."""

    database_url: str
    redis_url: str
    web_workers: int = 2
    rq_workers: int = 2
    worker_nice: int = 10  # as deploy/hunar-worker@.service: acknowledging Twilio comes before the work
    lock_timeout: float = 30.0
    send_rate: float = 1000.0
    twilio_latency: float = 0.0  # seconds the fake Twilio takes to answer a send
    twilio_failure: float = 0.0  # share of sends the fake Twilio refuses (429 or 500; bench/faults.py)
    inbound_limit: int = 100
    quiet: bool = True
    extra_env: dict = field(default_factory=dict)
    db_proxy_port: int = 0  # the app reaches PostgreSQL through this local port (bench/faults.py cuts it); 0: direct
    log_path: str = ""  # where the processes' output goes (bench/faults.py: production logging); "" as before
    procs: dict = field(default_factory=dict)  # name -> Popen
    url: str = ""
    base: str = ""
    prefix: str = ""
    env: dict = field(default_factory=dict)
    fake: RecordingTwilio | None = None
    _admin = None
    _dbname = ""
    _worker_seq = 0

    def start(self) -> "Deployment":
        self._admin = create_engine(normalise_url(self.database_url), isolation_level="AUTOCOMMIT")
        self._dbname = f"hunar_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self._dbname}"'))
        self.url = normalise_url(self.database_url).rsplit("/", 1)[0] + "/" + self._dbname
        Database(self.url).upgrade()
        self.fake = RecordingTwilio(self.twilio_latency, self.twilio_failure)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.prefix = f"load{uuid.uuid4().hex[:8]}:"
        instance = Path("/tmp") / f"hunar-load-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("HUNAR_") and k not in ("DATABASE_URL", "REDIS_URL", "PORT", "BIND")}
        env.update(
            HUNAR_ENV="production", HUNAR_SECRET_KEY="bench-" + uuid.uuid4().hex, HUNAR_DATABASE_URL=self.url,
            HUNAR_REDIS_URL=self.redis_url, HUNAR_REDIS_PREFIX=self.prefix, HUNAR_JOBS_INLINE="false",
            HUNAR_INSTANCE_PATH=str(instance), HUNAR_PUBLIC_BASE_URL=self.base, HUNAR_LOG_LEVEL="WARNING",
            HUNAR_LOG_FORMAT="json", HUNAR_TWILIO_ENABLED="true", HUNAR_TWILIO_ACCOUNT_SID=ACCOUNT,
            HUNAR_TWILIO_AUTH_TOKEN=TOKEN, HUNAR_TWILIO_WHATSAPP_FROM=WHATSAPP_FROM,
            HUNAR_TWILIO_API_BASE=self.fake.url, HUNAR_TWILIO_MEDIA_HOSTS=f"127.0.0.1:{self.fake.port}",
            HUNAR_TWILIO_MEDIA_AUTH_HOSTS=f"127.0.0.1:{self.fake.port}",
            HUNAR_LOCK_TIMEOUT_SECONDS=str(self.lock_timeout), HUNAR_TWILIO_SEND_RATE=str(self.send_rate),
            HUNAR_INBOUND_RATE_LIMIT=str(self.inbound_limit), HUNAR_DESK_WHATSAPP="+919812345678",
            BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(self.web_workers), ACCESS_LOG="0",
            PATH=f"{ROOT / '.venv/bin'}:{os.environ.get('PATH', '')}")
        if self.db_proxy_port:  # the app only: the bench's own reads and the audit go straight to PostgreSQL
            env["HUNAR_DATABASE_URL"] = _on_port(self.url, self.db_proxy_port)
        env.update(self.extra_env)
        self.env = env
        out, err = self._output()
        self.procs["web"] = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"],
                                             cwd=ROOT, env=env, stdout=out, stderr=err, start_new_session=True)
        self._started(err)
        for _ in range(self.rq_workers):
            self.start_worker()
        self._wait_ready()
        return self

    def _output(self):
        """(stdout, stderr) for a process started: the log file if there is one, else as the bench always did."""
        if self.log_path:
            log = open(self.log_path, "ab")  # noqa: SIM115 - closed by _started once the child has its copy
            return log, log
        return (subprocess.DEVNULL if self.quiet else None), None

    @staticmethod
    def _started(log) -> None:
        if log is not None:
            log.close()

    def webhook_histogram(self) -> dict[float, float]:
        """The deployment's own `hunar_webhook_seconds` histogram: {upper bound (s): count}, +inf = all."""
        import redis

        from bot.telemetry import BUCKETS

        client = redis.Redis.from_url(self.redis_url)
        try:
            raw = client.hgetall(f"{self.prefix}metrics:webhook_seconds")
        finally:
            client.close()
        # bot/telemetry.py keeps one count per bucket ("#in=<bound>"); Prometheus's buckets are cumulative.
        per_bucket = {float(k.decode().split("#in=")[1]): float(v) for k, v in raw.items() if b"#in=" in k}
        counts, total = {}, 0.0
        for bound in (*BUCKETS, float("inf")):
            total += per_bucket.get(bound, 0.0)
            counts[bound] = total
        return counts

    def reset_webhook_histogram(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            client.delete(f"{self.prefix}metrics:webhook_seconds")
        finally:
            client.close()

    @property
    def queue(self) -> str:
        return self.prefix.rstrip(":")

    def start_worker(self) -> str:
        self._worker_seq += 1
        name = f"worker{self._worker_seq}"
        cmd = ["nice", "-n", str(self.worker_nice)] if self.worker_nice else []
        # As the Procfile runs it: jobs take the services `python -m bot.worker` builds before the first job, so a
        # plain `rq worker` cannot run them.
        cmd += [str(ROOT / ".venv/bin/python"), "-m", "bot.worker"]
        out, err = self._output()
        self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL if out is None
                                            else out, stderr=err, start_new_session=True)
        self._started(err)
        if self.worker_nice:
            nice_autogroup(self.procs[name].pid, self.worker_nice)
        return name

    def workers(self) -> list[str]:
        return [n for n, p in self.procs.items() if n.startswith("worker") and p.poll() is None]

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker and any work horse it forked (its whole process group)."""
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait(timeout=10)

    def _wait_ready(self, seconds: float = 180) -> None:  # returns when ready; generous for a loaded host
        import redis

        deadline = time.monotonic() + seconds
        client = redis.Redis.from_url(self.redis_url)
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode} while starting")
            try:
                ok = requests.get(self.base + "/readyz", timeout=2).status_code == 200
            except requests.RequestException:
                ok = False
            names = {w.decode() for w in client.smembers("rq:workers")}
            ready = sum(1 for n in names if n.startswith(f"rq:worker:{self.queue}-"))
            if ok and ready >= len(self.workers()):
                client.close()
                return
            time.sleep(0.2)
        client.close()
        raise RuntimeError("the deployment did not come up")

    def memory(self) -> dict[str, dict[str, float]]:
        """VmRSS and VmHWM (MB) of each gunicorn worker and each RQ worker (and any work horse it has)."""
        children = defaultdict(list)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                children[int(fields[1])].append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                pass
        found = {}
        web = self.procs.get("web")
        if web and web.poll() is None:
            found["gunicorn master"] = web.pid
            for n, pid in enumerate(sorted(children[web.pid]), 1):
                found[f"gunicorn worker {n}"] = pid
        for name in self.workers():
            pid = self.procs[name].pid
            found[f"rq {name}"] = pid
            for n, child in enumerate(sorted(children[pid]), 1):  # the scheduler (--with-scheduler), a work horse
                found[f"rq {name} child {n}"] = child
        result = {}
        for label, pid in found.items():
            try:
                status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                              if ":" in line)
                result[label] = {k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}
            except OSError:
                pass
        return result

    def stop(self) -> None:
        for name, proc in list(self.procs.items()):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for name, proc in list(self.procs.items()):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        self.procs.clear()
        if self.fake:
            self.fake.close()
        if self._admin is not None and self._dbname:
            with self._admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self._dbname}" WITH (FORCE)'))
            self._admin.dispose()
            self._dbname = ""
        if self.prefix:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            keys = [k for pattern in (f"{self.prefix}*", f"rq:*{self.queue}*")
                    for k in client.scan_iter(match=pattern, count=1000)]
            # rq's job, result and execution keys carry no queue name: find our jobs by their origin.
            jobs = list(client.scan_iter(match="rq:job:*", count=1000))
            ours: set[str] = set()
            for start in range(0, len(jobs), 1000):
                part = jobs[start:start + 1000]
                with client.pipeline(transaction=False) as pipe:
                    for key in part:
                        pipe.hget(key, "origin")
                    origins = pipe.execute()
                for key, origin in zip(part, origins):
                    if origin is not None and origin.decode() == self.queue:
                        job_id = key.decode().rsplit(":", 1)[1]
                        keys += [key, f"rq:results:{job_id}", f"rq:executions:{job_id}"]
                        ours.add(job_id)
            keys += [k for k in client.scan_iter(match="rq:execution:*", count=1000)
                     if k.decode().split(":")[2] in ours]
            for start in range(0, len(keys), 500):
                client.delete(*keys[start:start + 500])
            for members in ("rq:workers", "rq:queues"):
                mine = [m for m in client.smembers(members) if self.queue in m.decode()]
                if mine:
                    client.srem(members, *mine)
            client.close()
        if self.env.get("HUNAR_INSTANCE_PATH"):
            import shutil

            shutil.rmtree(self.env["HUNAR_INSTANCE_PATH"], ignore_errors=True)


def _on_port(url: str, port: int) -> str:
    """The same database URL on 127.0.0.1:<port>."""
    parts = urlsplit(url)
    user = f"{parts.username}{':' + parts.password if parts.password else ''}@" if parts.username else ""
    return parts._replace(netloc=f"{user}127.0.0.1:{port}").geturl()


def process_times() -> tuple[dict[int, tuple[str, float]], dict[int, int]]:
    """Every process on the host: pid -> (command name, CPU seconds user + system so far), and pid -> parent pid."""
    tick = os.sysconf("SC_CLK_TCK")
    times, parents = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (comm, (int(fields[11]) + int(fields[12])) / tick)
    return times, parents


def cpu_seconds(dep: "Deployment") -> dict[str, float]:
    """CPU seconds (user + system) used so far by each kind of process: web, workers, PostgreSQL, Redis, the
    artisans (this process) and the fake Twilio."""
    ours = {dep.fake.pid: "fake Twilio"} if dep.fake else {}
    for name, proc in dep.procs.items():
        if proc.poll() is None:
            ours[proc.pid] = "web" if name == "web" else "rq workers"
    totals: dict[str, float] = defaultdict(float)
    stats, parents = process_times()
    for pid, (comm, secs) in stats.items():
        kind = ours.get(pid) or ours.get(parents.get(pid))
        if kind is None and pid == os.getpid():
            kind = "artisans"
        elif kind is None and comm.startswith("postgres"):
            kind = "postgresql"
        elif kind is None and comm.startswith("redis-server"):
            kind = "redis"
        if kind:
            totals[kind] += secs
    return dict(totals)


@contextmanager
def deployment(**kwargs):
    dep = Deployment(**kwargs)
    try:
        yield dep.start()
    finally:
        dep.stop()


# --- recovery, as `rq cron deploy/cron.py` runs it -------------------------------------------------------------


class Recovery(threading.Thread):
    """Runs bot.jobs.recover_stalled every `every` seconds for messages older than `after` seconds."""

    def __init__(self, dep: Deployment, every: float = 5.0, after: float = 10.0):
        super().__init__(daemon=True)
        self.dep, self.every, self.after = dep, every, after
        self.stop_event = threading.Event()
        self.requeued = 0

    def run(self) -> None:
        from app import create_app
        from bot import jobs

        settings = {k[len("HUNAR_"):]: v for k, v in self.dep.env.items() if k.startswith("HUNAR_")}
        settings.update(LOG_LEVEL="ERROR")
        app = create_app(settings)
        services = app.extensions["hunar"]
        try:
            while not self.stop_event.wait(self.every):
                try:
                    self.requeued += jobs.recover_stalled(services, older_than=timedelta(seconds=self.after))
                except Exception as exc:  # keep trying; the run's audit says whether anything was lost
                    print(f"recover_stalled failed: {exc!r}", file=sys.stderr)
        finally:
            services.db.dispose()
            services.redis.close()


# --- the artisans --------------------------------------------------------------------------------------------


@dataclass
class Run:
    """What the load generator sent and saw."""

    sent: dict = field(default_factory=lambda: defaultdict(list))  # address -> [(kind, body, sid)] in order
    send_time: dict = field(default_factory=dict)  # MessageSid -> wall time the webhook was posted
    acks: list = field(default_factory=list)  # seconds per acknowledgement
    connects: list = field(default_factory=list)  # seconds to open each webhook's TCP connection
    errors: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # MessageSid -> the HTTP status of its last answer ("" if none)
    reply_timeouts: int = 0
    late: int = 0  # open loop: messages sent after their time, their previous one's ack having come later
    started: float = 0.0
    finished: float = 0.0  # wall time of the last acknowledgement


def form_for(address: str, n: int, body: str = "", media: list[str] | None = None) -> dict:
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT, "From": address, "To": WHATSAPP_FROM,
            "Body": body, "NumMedia": str(len(media or [])), "NumSegments": "1", "ProfileName": f"Artisan {n}",
            "WaId": address.split("+")[1], "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    for i, url in enumerate(media or []):
        form[f"MediaUrl{i}"] = url
        form[f"MediaContentType{i}"] = "image/jpeg"
    form["SmsMessageSid"] = form["SmsSid"] = form["MessageSid"]
    return form


@dataclass
class Webhook:
    """One signed webhook as the bytes Twilio would send, made before the run: signing and encoding are Twilio's
    work, not the machine's under test."""

    sid: str
    request: bytes


def signed(hook: str, form: dict) -> Webhook:
    url = urlsplit(hook)
    body = urlencode(form).encode()
    head = (f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nUser-Agent: TwilioProxy/1.1\r\n"
            f"X-Twilio-Signature: {sign(hook, form, TOKEN)}\r\nI-Twilio-Idempotency-Token: {uuid.uuid4().hex}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n")
    return Webhook(form["MessageSid"], head.encode() + body)


# A new connection per webhook, as Twilio (and a proxy without upstream keep-alive) makes them: kept-alive
# connections would all stick to whichever gunicorn worker accepted them first. The request goes out as prepared
# bytes from a bare asyncio protocol: an HTTP client library's own work per request (0.7 ms of CPU with aiohttp,
# a third of that with asyncio's streams) would be taken from the two cores the deployment is measured on.
class _Exchange(asyncio.Protocol):
    """One request written as the connection opens; the answer is everything read until the server closes."""

    def __init__(self, request: bytes, done: asyncio.Future):
        self.request = request
        self.done = done
        self.chunks: list[bytes] = []

    def connection_made(self, transport) -> None:
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, exc) -> None:
        if not self.done.done():
            if exc is None:
                self.done.set_result(b"".join(self.chunks))
            else:
                self.done.set_exception(exc)


async def _post(host: str, port: int, webhook: Webhook, run: Run) -> None:
    """Post one signed webhook; a connection error is retried with the same MessageSid, as Twilio does."""
    loop = asyncio.get_running_loop()
    for attempt in range(3):
        start = time.perf_counter()
        run.send_time.setdefault(webhook.sid, time.time())
        transport = None
        try:
            async with asyncio.timeout(15):
                done = loop.create_future()
                transport, _ = await loop.create_connection(lambda: _Exchange(webhook.request, done), host, port)
                run.connects.append(time.perf_counter() - start)
                answer = await done  # to the end: the server closes after its answer
            run.acks.append(time.perf_counter() - start)
            run.finished = time.time()
            status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.") else b"?"
            run.answers[webhook.sid] = status.decode()
            if status != b"200" or b"<Response" not in answer:
                run.errors.append(f"{status.decode()} {answer[-80:]!r}")
            return
        except (OSError, asyncio.TimeoutError) as exc:
            if transport is not None:
                transport.abort()
            if attempt == 2:
                run.errors.append(repr(exc))
            await asyncio.sleep(0.2)


def artisan_address(n: int) -> str:
    return f"whatsapp:+9197{n:08d}"


async def conversations(dep: Deployment, *, artisans: int, think: float, steps: list[tuple], photos: list[bytes],
                        reply_timeout: float = 90.0, deadline: float = 900.0, on_progress=None) -> Run:
    """Every artisan a coroutine: send, wait for the bot's reply at the fake Twilio, think, send the next."""
    run = Run()
    hook = dep.base + "/webhooks/twilio"
    host, port = urlsplit(hook).hostname, urlsplit(hook).port
    fake = dep.fake
    media = {n: [fake.media(with_comment(p, f"artisan {n} photo {i}")) for i, p in enumerate(photos)]
             for n in range(artisans)} if any(k == "photos" for k, *_ in steps) else {}
    # Every artisan's webhooks, signed up front: (kind, text, webhooks of the step).
    script = {n: [("photo", "", [signed(hook, form_for(artisan_address(n), n, media=[url]))
                                 for url in media[n][:value]]) if kind == "photos"
                  else ("text", value, [signed(hook, form_for(artisan_address(n), n, value))])
                  for kind, value in steps] for n in range(artisans)}
    stop_at = time.monotonic() + deadline
    loop = asyncio.get_running_loop()

    async def artisan(n: int) -> None:
        address = artisan_address(n)
        rnd = random.Random(n)
        replied = asyncio.Event()  # set from the thread reading the fake Twilio's creates, on a reply to this one
        fake.on_create[address] = lambda: loop.call_soon_threadsafe(replied.set)
        await asyncio.sleep(rnd.uniform(0, max(think, 0.05) * 4))  # not all at the same instant
        for kind, body, webhooks in script[n]:
            if time.monotonic() > stop_at:
                run.errors.append(f"{address}: run deadline reached")
                return
            before = fake.count(address)
            for webhook in webhooks:  # an album's photos come one webhook each, back to back
                await _post(host, port, webhook, run)
                run.sent[address].append((kind, body, webhook.sid))
            waited = time.monotonic() + reply_timeout
            while fake.count(address) <= before:
                replied.clear()
                if fake.count(address) > before:
                    break
                try:
                    await asyncio.wait_for(replied.wait(), timeout=max(0.0, waited - time.monotonic()))
                except asyncio.TimeoutError:
                    run.reply_timeouts += 1
                    break
            if on_progress:
                on_progress()
            await asyncio.sleep(rnd.uniform(0.5 * think, 1.5 * think) if think else 0)

    run.started = time.time()
    await asyncio.gather(*(artisan(n) for n in range(artisans)))
    return run


JITTER = 0.1  # of a period, either way: artisans keep to a schedule, not to a metronome


async def blast(dep: Deployment, *, artisans: int, messages: int, concurrency: int, rate: float | None = None,
                first: int = 0) -> Run:
    """Throughput: every artisan sends its texts waiting only for each ack. Closed loop (no rate): back to back,
    `concurrency` in flight at a time. Open loop: each on a schedule, offering `rate` messages/s in all."""
    run = Run()
    hook = dep.base + "/webhooks/twilio"
    host, port = urlsplit(hook).hostname, urlsplit(hook).port
    # Open loop has no window of our own: an ack waits only for the deployment.
    gate = nullcontext() if rate else asyncio.Semaphore(concurrency)
    texts = [TEXTS[i % len(TEXTS)] for i in range(messages)]
    period = artisans / rate if rate else 0.0
    loop = asyncio.get_running_loop()

    script = {n: [signed(hook, form_for(artisan_address(first + n), first + n, body)) for body in texts]
              for n in range(artisans)}

    async def artisan(n: int, start: float) -> None:
        address = artisan_address(first + n)
        rnd = random.Random(n)
        offset = rnd.uniform(0, period)
        for i, (body, webhook) in enumerate(zip(texts, script[n])):
            if rate:  # due on the schedule, but never before the previous message's ack (order per artisan)
                wait = start + offset + (i + rnd.uniform(-JITTER, JITTER)) * period - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                elif i:
                    run.late += 1
            async with gate:
                await _post(host, port, webhook, run)
            run.sent[address].append(("text", body, webhook.sid))

    run.started = time.time()
    start = loop.time()
    await asyncio.gather(*(artisan(n, start) for n in range(artisans)))
    return run


WARM_UP_FIRST = 50_000_000  # warm-up artisans' numbers, apart from the measured ones


def warm_up(dep: Deployment, artisans: int, messages: int = 5, introduce: int = 0) -> Run:
    """Bring every process to its steady state before the clock starts: database and Redis connections opened
    on each web thread and worker, statements compiled, the first jobs run. With `introduce`, the first that
    many measured artisans also say hello first, so that the run measures artisans Hunar already knows.
    Audited with the rest, not timed."""
    warm = asyncio.run(blast(dep, artisans=artisans, messages=messages, concurrency=8, first=WARM_UP_FIRST))
    if introduce:
        hello = asyncio.run(blast(dep, artisans=introduce, messages=1, concurrency=8))
        for address, items in hello.sent.items():
            warm.sent[address].extend(items)
    drain(dep, warm, 120)
    dep.reset_webhook_histogram()
    return warm


# --- draining and auditing ----------------------------------------------------------------------------------


def drain(dep: Deployment, run: Run, seconds: float) -> float:
    """Wait until every sent message is recorded and handled and no reply waits; returns when (wall time)."""
    engine = create_engine(dep.url)
    expected = sum(len(v) for v in run.sent.values())
    deadline = time.monotonic() + seconds
    try:
        with engine.connect() as conn:
            while time.monotonic() < deadline:
                row = conn.execute(text(
                    "SELECT count(*) FILTER (WHERE direction='in'), "
                    "count(*) FILTER (WHERE direction='in' AND status='received'), "
                    "count(*) FILTER (WHERE direction='out' AND status IN ('pending', 'sending')) FROM messages"
                )).one()
                conn.commit()
                if row[0] >= expected and row[1] == 0 and row[2] == 0:
                    return time.time()
                time.sleep(0.1)
    finally:
        engine.dispose()
    print(f"drain: gave up after {seconds:.0f}s", file=sys.stderr)
    return time.time()


def audit(dep: Deployment, run: Run, *, listings: bool, warm: Run | None = None) -> tuple[list[str], dict]:
    """Exactly once, in order, every reply sent once, every listing complete. Returns (problems, figures).

    The warm-up's messages are audited like the rest; the figures count only the measured run's."""
    from sqlalchemy import select

    from db.models import Artisan, Conversation, Listing, Message, Photo

    dep.fake.sync()  # the replies drain() saw sent are all in the fake's records
    db = Database(dep.url)
    problems: list[str] = []
    figures: dict = {}
    with db.session() as s:
        rows = list(s.scalars(select(Message).order_by(Message.id)))
        address_of = {c.id: a.address for c, a in s.execute(
            select(Conversation, Artisan).join(Artisan, Artisan.id == Conversation.artisan_id))}
        listing_rows = list(s.execute(select(Listing.artisan_id, Listing.price_amount, Listing.quantity,
                                             Listing.status, Listing.id)))
        photo_count = defaultdict(int)
        for (listing_id,) in s.execute(select(Photo.listing_id).where(Photo.listing_id.is_not(None))):
            photo_count[listing_id] += 1
        artisan_of = {a.id: a.address for a in s.scalars(select(Artisan))}
        s.expunge_all()
    db.dispose()
    sent: dict = defaultdict(list)  # address -> everything it sent, warm-up first
    for part in (warm, run):
        for address, items in (part.sent.items() if part else ()):
            sent[address].extend(items)
    inbound = [m for m in rows if m.direction == "in"]
    outbound = [m for m in rows if m.direction == "out"]
    by_address: dict[str, list] = defaultdict(list)
    for m in inbound:
        by_address[address_of[m.conversation_id]].append(m)
    expected = sum(len(v) for v in sent.values())
    if len(inbound) != expected:
        problems.append(f"{len(inbound)} inbound rows for {expected} messages sent (lost or duplicated)")
    sids_sent = [sid for v in sent.values() for _, _, sid in v]
    recorded_sids = [m.twilio_sid for m in inbound]
    if len(set(recorded_sids)) != len(recorded_sids) or set(recorded_sids) != set(sids_sent):
        problems.append("inbound MessageSids recorded differ from those sent")
    for address, items in sent.items():
        got = by_address.get(address, [])
        if [m.twilio_sid for m in got] != [sid for _, _, sid in items]:
            problems.append(f"{address}: recorded out of order or incomplete")
        bad = [m.status for m in got if m.status != "processed"]
        if bad:
            problems.append(f"{address}: {len(bad)} messages not handled: {sorted(set(bad))}")
        stamps = [m.processed_at for m in got]
        if None not in stamps and stamps != sorted(stamps):
            problems.append(f"{address}: handled out of order")
    runs_per_inbound: dict = defaultdict(set)
    bodies_per_inbound: dict = defaultdict(list)
    for m in outbound:
        key = (m.extra or {}).get("in_reply_to")
        runs_per_inbound[key].add(m.created_at)
        bodies_per_inbound[key].append(m.body)
    twice = [k for k, stamps in runs_per_inbound.items() if k is not None and len(stamps) > 1]
    if twice:
        problems.append(f"{len(twice)} messages answered by two separate runs of the engine")
    dup_bodies = [k for k, b in bodies_per_inbound.items() if k is not None and len(b) != len(set(b))]
    if dup_bodies:
        problems.append(f"{len(dup_bodies)} messages with the same reply body twice")
    not_sent = [m.status for m in outbound if m.status not in ("queued", "sent", "delivered")]
    if not_sent:
        problems.append(f"{len(not_sent)} replies not sent: {sorted(set(not_sent))}")
    out_sids = [m.twilio_sid for m in outbound if m.twilio_sid]
    fake_sids = {sid for v in dep.fake.by_to.values() for _, sid, _ in v}
    if dep.fake.creates != len(outbound) or len(set(out_sids)) != len(out_sids) or set(out_sids) != fake_sids:
        problems.append(f"fake Twilio accepted {dep.fake.creates} messages for {len(outbound)} replies recorded")
    # Order kept end to end: the fake received each artisan's replies in the order the bot wrote them.
    out_by_conv: dict = defaultdict(list)
    for m in outbound:
        out_by_conv[m.conversation_id].append(m)
    reordered = 0
    for cid, msgs in out_by_conv.items():
        in_ids = [(m.extra or {}).get("in_reply_to") or 0 for m in msgs]
        at_fake = [sid for _, sid, _ in dep.fake.by_to.get(address_of[cid], [])]
        if in_ids != sorted(in_ids) or at_fake != [m.twilio_sid for m in msgs if m.twilio_sid]:
            reordered += 1
    if reordered:
        problems.append(f"{reordered} conversations got their replies out of order")
    unanswered = [m.id for m in inbound if m.id not in runs_per_inbound and not _album_member(m, inbound)]
    figures["unanswered"] = len(unanswered)
    if unanswered:
        problems.append(f"{len(unanswered)} handled messages without a reply")
    if listings:
        complete = set()
        for artisan_id, price, qty, status, listing_id in listing_rows:
            if price and qty and photo_count.get(listing_id, 0) >= 1:
                complete.add(artisan_of[artisan_id])
        missing = [a for a in run.sent if a not in complete]
        figures["listings_complete"] = len(complete)
        if missing:
            problems.append(f"{len(missing)} artisans without a complete listing (price, quantity, photos), "
                            f"e.g. {missing[:3]}")
    # End-to-end latency: from posting a message to the fake receiving the first reply that answers it.
    first_reply: dict = {}
    for m in outbound:
        key = (m.extra or {}).get("in_reply_to")
        t = dep.fake.sid_time.get(m.twilio_sid)
        if key is not None and t is not None:
            first_reply[key] = min(first_reply.get(key, t), t)
    e2e_text, e2e_album = [], []
    for m in inbound:
        if m.id in first_reply and m.twilio_sid in run.send_time:
            (e2e_album if m.media else e2e_text).append(first_reply[m.id] - run.send_time[m.twilio_sid])
    measured = [m for m in inbound if m.twilio_sid in run.send_time]
    answers = {m.id for m in measured}
    figures.update(inbound=len(measured), e2e_text=e2e_text, e2e_album=e2e_album,
                   outbound=sum(1 for m in outbound if (m.extra or {}).get("in_reply_to") in answers),
                   text_in=sum(1 for m in measured if not m.media))
    return problems, figures


def _album_member(m, inbound) -> bool:
    """Photos of an album are answered once, in reply to the album's last photo."""
    return bool(m.media)


# --- reporting -----------------------------------------------------------------------------------------------


def machine() -> dict:
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    info = {"cores": os.cpu_count(), "memory_gb": round(int(mem.split()[1]) / 1024 / 1024, 1),
            "cpu": next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                         if line.startswith("model name")), platform.machine()),
            "kernel": platform.release(), "python": platform.python_version()}
    try:
        engine = create_engine(normalise_url(os.environ["DATABASE_URL"]))
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar().split()[0]
        engine.dispose()
    except Exception:
        pass
    try:
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        info["redis"] = client.info("server")["redis_version"]
        client.close()
    except Exception:
        pass
    from importlib.metadata import version

    for pkg in ("gunicorn", "rq", "Flask", "SQLAlchemy", "psycopg", "redis"):
        try:
            info[pkg.lower()] = version(pkg)
        except Exception:
            pass
    return info


def record(key: str, entry: dict) -> None:
    """Keep the run in bench/results.json and rewrite bench/RESULTS.md from it."""
    data = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    data.setdefault("runs", {})[key] = entry
    data["machine"] = machine()
    RESULTS_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    write_markdown(data)


def record_section(group: str, key: str, entry: dict, heading: str, render) -> None:
    """Keep one run of another bench in results.json under `group`, its section (`render(runs)`) under `heading`,
    and rewrite RESULTS.md: how bench/under_attack.py, conversations.py, nlu.py and rasa_backend.py record."""
    data = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    data.setdefault(group, {})[key] = entry
    data.setdefault("sections", {})[heading] = render(data[group])
    RESULTS_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    write_markdown(data)


def _ms(v) -> str:
    return "—" if v is None else f"{v * 1000:.0f} ms" if v >= 0.1 else f"{v * 1000:.1f} ms"


def write_markdown(data: dict) -> None:
    m = data.get("machine", {})
    lines = ["# Benchmark results", "",
             "Written by `bench/load.py` (runs) and `bench/load.py micro` (micro-benchmarks); figures from the last "
             "run of each kind. Targets from issue 9.", "",
             "Run them yourself (each starts and stops its own deployment on a fresh database):", "",
             "```",
             "export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/7",
             ".venv/bin/python bench/load.py --record conversation          # 200 artisans × 20 messages",
             ".venv/bin/python bench/load.py throughput --record throughput  # 300 artisans × 20 texts, no waiting",
             ".venv/bin/python bench/load.py --kill-worker --record kill     # the same with a worker SIGKILLed",
             ".venv/bin/python bench/load.py throughput --artisans 200 --rate 300 --record rate  # offered 300/s, open loop",
             ".venv/bin/python bench/load.py throughput --twilio-latency 0.15 --record slow_twilio   # Twilio's real pace",
             ".venv/bin/python bench/load.py throughput --twilio-latency 0.15 --send-threads 32 --record slow_twilio_32",
             ".venv/bin/python bench/load.py throughput --artisans 100 --twilio-latency 0.15 --send-threads 0 --record "
             "slow_twilio_inline",
             ".venv/bin/python bench/load.py micro                           # nlu, photos, startup",
             ".venv/bin/python bench/stages.py                               # CPU per message of each stage, alone",
             "```", "",
             "## Machine", "",
             f"- {m.get('cores')} cores ({m.get('cpu')}), {m.get('memory_gb')} GB memory, Linux {m.get('kernel')}; "
             "shared with other engineers' work (load average noted per run)",
             f"- Python {m.get('python')}, PostgreSQL {m.get('postgresql')}, Redis {m.get('redis')}; "
             f"gunicorn {m.get('gunicorn')}, rq {m.get('rq')}, Flask {m.get('flask')}, SQLAlchemy {m.get('sqlalchemy')}, "
             f"psycopg {m.get('psycopg')}", ""]
    runs = data.get("runs", {})
    if runs:
        lines += ["## Load runs (2 gunicorn workers × 4 threads, 2 RQ workers, PostgreSQL, Redis, fake Twilio)", "",
                  "| run | when | load avg (before → after) | messages | acks/s | ack p50 / p99 | reply p50 / p99 (text) "
                  "| album reply p50 | text msgs/s end to end | lost / dup / reordered | listings complete "
                  "| max RSS web / worker | verdict |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for key, r in runs.items():
            lines.append(
                f"| {r['title']} | {r['when']} | {r['load_before']} → {r['load_after']} | {r['messages']} "
                f"| {r['acks_per_s']:.0f} | {_ms(r['ack_p50'])} / {_ms(r['ack_p99'])} "
                f"| {_ms(r.get('e2e_p50'))} / {_ms(r.get('e2e_p99'))} | {_ms(r.get('album_p50'))} "
                f"| {r['handled_per_s']:.0f} | {r['lost']} / {r['duplicated']} / {r['reordered']} "
                f"| {r.get('listings', '—')} | {r['rss_web']:.0f} / {r['rss_worker']:.0f} MB "
                f"| {'OK' if not r['problems'] else 'PROBLEMS'} |")
        lines += ["", "Settings and notes per run:", ""]
        for key, r in runs.items():
            offered = (f"Offered {r['offered_per_s']:g} messages/s, open loop ({r['late']} sent late, after a late "
                       "ack). " if r.get("offered_per_s") else "")
            lines.append(f"- **{r['title']}**: `{r['command']}`. {offered}{r.get('notes', '')}")
            if r.get("server_under_50ms") is not None:
                lines.append(f"  Acknowledged within 50 ms: {r['client_under_50ms']:.1%} as the artisans' side "
                             f"timed it, {r['server_under_50ms']:.1%} inside the web process "
                             f"(hunar_webhook_seconds; its p99 ≤ {r['server_p99_bound'] * 1000:.0f} ms, a bucket bound).")
            if r["problems"]:
                lines.append("  Problems: " + "; ".join(r["problems"][:5]))
            if r.get("cpu_seconds"):
                per = max(1, r["messages"])
                lines.append(f"  CPU over the {r['wall_seconds']:.0f} s run (ms per message): " + ", ".join(
                    f"{k} {v:.0f} s ({v * 1000 / per:.1f})"
                    for k, v in sorted(r["cpu_seconds"].items(), key=lambda kv: -kv[1])))
            lines.append("  Memory (VmRSS / VmHWM MB): " + ", ".join(
                f"{k} {v['VmRSS']:.0f}/{v['VmHWM']:.0f}" for k, v in r["memory"].items()))
        lines.append("")
    micro = data.get("micro")
    if micro:
        lines += ["## Micro-benchmarks", "", f"Run {micro['when']}, load average {micro['load']}.", ""]
        for name, out in micro["outputs"].items():
            lines += [f"### `{name}`", "", "```", out.strip(), "```", ""]
    if data.get("analysis"):
        lines += ["## Analysis", "", data["analysis"].strip(), ""]
    for heading, text in data.get("sections", {}).items():  # other benches' sections (bench/under_attack.py)
        lines += [f"## {heading}", "", text.strip(), ""]
    RESULTS_MD.write_text("\n".join(lines))


# --- the modes -----------------------------------------------------------------------------------------------


def run_mode(args) -> int:
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url and redis_url):
        print("needs DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    throughput = args.mode == "throughput"
    photos = [] if throughput else make_photos(3)
    load_before = loadavg()
    with deployment(database_url=database_url, redis_url=redis_url,
                    worker_nice=args.worker_nice,
                    lock_timeout=args.lock_timeout if args.lock_timeout else (5.0 if args.kill_worker else 30.0),
                    send_rate=args.send_rate, twilio_latency=args.twilio_latency, quiet=not args.verbose,
                    extra_env={**({"HUNAR_SEND_THREADS": str(args.send_threads)} if args.send_threads is not None
                                  else {}),
                               **({"WEB_THREADS": str(args.web_threads)} if args.web_threads else {})}) as dep:
        recovery = None
        if args.kill_worker:
            recovery = Recovery(dep, every=args.recover_every, after=args.recover_after)
            recovery.start()
        killer = None
        killed: dict = {}
        total = (args.artisans * (args.messages if throughput else len(CONVERSATION)))

        def kill_now():
            if killed:
                return
            victim = dep.workers()[0]
            killed["at"] = time.time()
            dep.kill_worker(victim)
            killed["replacement"] = dep.start_worker()
            print(f"SIGKILLed {victim} mid-run; started {killed['replacement']}", flush=True)

        if args.kill_worker:
            # Kill once about a third of the messages are in: poll the database from a thread.
            def watch():
                engine = create_engine(dep.url)
                try:
                    deadline = time.monotonic() + 600
                    while time.monotonic() < deadline and not killed:
                        with engine.connect() as conn:
                            done = conn.execute(text("SELECT count(*) FROM messages WHERE direction='in' "
                                                     "AND status='processed'")).scalar()
                        if done >= total // 3:
                            kill_now()
                            return
                        time.sleep(0.2)
                finally:
                    engine.dispose()

            killer = threading.Thread(target=watch, daemon=True)
            killer.start()
        # Throughput measures artisans Hunar knows (a first contact costs several times a message: the
        # conversation mode has 200 of them); each says hello during the warm-up.
        warm = warm_up(dep, args.warm_up, introduce=args.artisans if throughput else 0) if args.warm_up else None
        # The load generator's own pauses would be charged to Hunar: its heap (photos, forms, the fake's
        # records) is frozen for the collector too, as the deployment's processes do (app.settle).
        gc.collect()
        gc.freeze()
        t0 = time.time()
        cpu0 = cpu_seconds(dep)
        if throughput:
            run = asyncio.run(blast(dep, artisans=args.artisans, messages=args.messages,
                                    concurrency=args.concurrency, rate=args.rate))
        else:
            steps = CONVERSATION[:args.steps] if args.steps else CONVERSATION
            run = asyncio.run(conversations(dep, artisans=args.artisans, think=args.think, steps=steps,
                                            photos=photos, reply_timeout=args.reply_timeout))
        sent_done = time.time()
        drained_at = drain(dep, run, args.drain)
        if killer:
            killer.join(timeout=1)
        memory = dep.memory()
        cpu1 = cpu_seconds(dep)
        cpu = {k: cpu1.get(k, 0.0) - cpu0.get(k, 0.0) for k in cpu1}
        if recovery:
            recovery.stop_event.set()
            recovery.join(timeout=10)
        problems, fig = audit(dep, run, listings=not throughput and not args.steps, warm=warm)
        fig["server_acks"] = dep.webhook_histogram()
        load_after = loadavg()
    return report(args, run, fig, problems, memory, t0, sent_done, drained_at, load_before, load_after,
                  killed, recovery.requeued if recovery else None, cpu)


def report(args, run, fig, problems, memory, t0, sent_done, drained_at, load_before, load_after, killed,
           requeued, cpu=None) -> int:
    n_acks = len(run.acks)
    wall_send = max(1e-9, sent_done - t0)
    handled_window = max(1e-9, drained_at - t0)
    text_in = fig["text_in"]
    e2e = fig["e2e_text"]
    print(f"load average before {load_before}, after {load_after} ({os.cpu_count()} cores)")
    print(f"sent {n_acks} webhooks ({fig['inbound']} recorded) from {args.artisans} artisans in {wall_send:.1f}s; "
          f"{len(run.errors)} errors{(' e.g. ' + str(run.errors[:3])) if run.errors else ''}")
    if args.rate:
        print(f"offered {args.rate:g} messages/s, open loop (each artisan every {args.artisans / args.rate:.2f}s "
              f"±{JITTER:.0%}, never before its previous ack): {run.late} sent late, after a late ack")
    print(f"acknowledgements/s: {n_acks / wall_send:.0f}   ack latency p50 {_ms(percentile(run.acks, .5))}, "
          f"p99 {_ms(percentile(run.acks, .99))}, max {_ms(max(run.acks))}")
    spread = [(label, sum(1 for a in run.acks if lo <= a < hi)) for label, lo, hi in (
        ("<50 ms", 0, .05), ("50-250 ms", .05, .25), ("250 ms-1 s", .25, 1), ("1-3 s", 1, 3), (">3 s", 3, 1e9))]
    print("  acks by latency: " + ", ".join(f"{label} {n}" for label, n in spread))
    if run.connects:
        print(f"  of which opening the connection: p50 {_ms(percentile(run.connects, .5))}, "
              f"p99 {_ms(percentile(run.connects, .99))}, max {_ms(max(run.connects))}")
    server = fig.get("server_acks") or {}
    if server.get(float("inf")):
        everything = server[float("inf")]
        under = server.get(0.05, 0.0) / everything
        p99_bound = next((b for b in sorted(server) if server[b] >= 0.99 * everything), float("inf"))
        print(f"time inside the web process (hunar_webhook_seconds, signature check to TwiML): {under:.2%} under "
              f"50 ms; p99 ≤ {p99_bound * 1000:.0f} ms (bucket bound)")
        fig["server_under_50ms"], fig["server_p99_bound"] = under, p99_bound
    if e2e:
        print(f"end-to-end reply latency (text): p50 {_ms(percentile(e2e, .5))}, p99 {_ms(percentile(e2e, .99))}"
              + (f"; album (after the {args_debounce()}s debounce): p50 {_ms(percentile(fig['e2e_album'], .5))}, "
                 f"p99 {_ms(percentile(fig['e2e_album'], .99))}" if fig["e2e_album"] else ""))
    print(f"text messages handled end to end: {text_in} in {handled_window:.1f}s = {text_in / handled_window:.0f}/s "
          f"(drained {drained_at - sent_done:.1f}s after the last acknowledgement); replies sent: {fig['outbound']}")
    if run.reply_timeouts:
        print(f"{run.reply_timeouts} waits for a reply timed out ({args.reply_timeout:.0f}s)")
    if killed:
        print(f"worker killed at +{killed['at'] - t0:.1f}s; recover_stalled re-queued {requeued} conversations")
    cpu = cpu or {}
    if cpu:
        per = max(1, fig["inbound"])
        print("CPU seconds during the run (ms per message): " + ", ".join(
            f"{k} {v:.0f}s ({v * 1000 / per:.1f})" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]))
            + f"; total {sum(cpu.values()):.0f}s over {handled_window:.0f}s on {os.cpu_count()} cores")
    for label, m in memory.items():
        print(f"  {label}: VmRSS {m['VmRSS']:.0f} MB, VmHWM {m['VmHWM']:.0f} MB")
    web = [m["VmHWM"] for k, m in memory.items() if k.startswith("gunicorn worker")]
    work = [m["VmHWM"] for k, m in memory.items() if k.startswith("rq ")]
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems[:20]))
    else:
        print("audit: every message recorded and handled exactly once, in order; every reply sent once, in order"
              + ("; every artisan has a complete listing" if "listings_complete" in fig else ""))
    lost = max(0, sum(len(v) for v in run.sent.values()) - fig["inbound"]) + sum(
        1 for p in problems if "not handled" in p)
    entry = {
        "title": args.title or ((f"throughput{f', offered {args.rate:g}/s' if args.rate else ''}"
                                 if args.mode == "throughput" else
                                 f"{args.artisans} artisans × {len(CONVERSATION[:args.steps] if args.steps else CONVERSATION)} steps")
                                + (", worker SIGKILLed" if args.kill_worker else "")
                                + (f", Twilio answering in {args.twilio_latency * 1000:.0f} ms"
                                   if args.twilio_latency else "")
                                + (f", HUNAR_SEND_THREADS={args.send_threads}" if args.send_threads is not None
                                   else "")
                                + (f", WEB_THREADS={args.web_threads}" if args.web_threads else "")),
        "when": time.strftime("%Y-%m-%d %H:%M"), "load_before": load_before, "load_after": load_after,
        "command": "bench/load.py " + " ".join(sys.argv[1:]), "messages": fig["inbound"],
        "offered_per_s": args.rate, "late": run.late,
        "acks_per_s": n_acks / wall_send, "ack_p50": percentile(run.acks, .5), "ack_p99": percentile(run.acks, .99),
        "e2e_p50": percentile(e2e, .5) if e2e else None, "e2e_p99": percentile(e2e, .99) if e2e else None,
        "album_p50": percentile(fig["e2e_album"], .5) if fig["e2e_album"] else None,
        "handled_per_s": text_in / handled_window, "drain_s": drained_at - sent_done,
        "server_under_50ms": fig.get("server_under_50ms"), "server_p99_bound": fig.get("server_p99_bound"),
        "client_under_50ms": sum(1 for a in run.acks if a < 0.05) / max(1, n_acks),
        "lost": lost, "duplicated": sum(1 for p in problems if "two separate runs" in p or "twice" in p
                                        or "duplicated" in p),
        "reordered": sum(1 for p in problems if "order" in p),
        "listings": fig.get("listings_complete", "—"), "problems": problems, "memory": memory,
        "rss_web": max(web or [0]), "rss_worker": max(work or [0]),
        "notes": args.notes or "", "cpu_seconds": cpu, "wall_seconds": handled_window,
    }
    if killed:
        entry["notes"] = (entry["notes"] + f" Worker killed at +{killed['at'] - t0:.0f}s; recover_stalled "
                          f"(every {args.recover_every:.0f}s, messages older than {args.recover_after:.0f}s) "
                          f"re-queued {requeued} conversations.").strip()
    if args.record:
        record(args.record, entry)
    return 1 if problems else 0


def args_debounce() -> str:
    return os.environ.get("HUNAR_ALBUM_DEBOUNCE_SECONDS", "2")


def micro(args) -> int:
    """Run the NLU, photo and start-up micro-benchmarks and keep what they print."""
    outputs = {}
    load = loadavg()
    for script in ("bench/nlu.py", "bench/photos.py", "bench/startup.py"):
        print(f"$ {script}", flush=True)
        env = dict(os.environ)
        proc = subprocess.run([sys.executable, script], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=900)
        out = proc.stdout + (f"\n[exit {proc.returncode}] {proc.stderr[-800:]}" if proc.returncode else "")
        print(out)
        outputs[script] = out
    data = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    data["micro"] = {"when": time.strftime("%Y-%m-%d %H:%M"), "load": f"{load} → {loadavg()}", "outputs": outputs}
    data["machine"] = machine()
    RESULTS_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    write_markdown(data)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("mode", nargs="?", default="conversation", choices=("conversation", "throughput", "micro"))
    ap.add_argument("--artisans", type=int, default=None, help="default 200 (conversation), 300 (throughput)")
    ap.add_argument("--steps", type=int, default=0, help="only the first N steps of the conversation")
    ap.add_argument("--messages", type=int, default=20, help="texts per artisan (throughput)")
    ap.add_argument("--concurrency", type=int, default=64, help="webhooks in flight at once (throughput, no --rate)")
    ap.add_argument("--rate", type=float, default=None,
                    help="throughput open loop: messages/s offered across all artisans, each on a schedule "
                         "(never before its previous ack); default: back to back, --concurrency in flight")
    ap.add_argument("--warm-up", type=int, default=20,
                    help="artisans sending 5 texts each before the clock starts, audited but not timed (0: none)")
    ap.add_argument("--think", type=float, default=0.4, help="mean seconds an artisan thinks between messages")
    ap.add_argument("--reply-timeout", type=float, default=90.0)
    ap.add_argument("--drain", type=float, default=300.0, help="seconds to wait for the workers to finish")
    ap.add_argument("--worker-nice", type=int, default=10, help="niceness of the RQ workers (0: none)")
    ap.add_argument("--kill-worker", action="store_true", help="SIGKILL an RQ worker mid-run, start a replacement")
    ap.add_argument("--lock-timeout", type=float, default=None, help="HUNAR_LOCK_TIMEOUT_SECONDS (5 with a kill)")
    ap.add_argument("--recover-every", type=float, default=5.0)
    ap.add_argument("--recover-after", type=float, default=10.0)
    ap.add_argument("--send-rate", type=float, default=1000.0,
                    help="HUNAR_TWILIO_SEND_RATE: the fake has no limit; real WhatsApp senders start at 80/s")
    ap.add_argument("--twilio-latency", type=float, default=0.0,
                    help="seconds the fake Twilio takes to answer a send (real Twilio: 0.1-0.3)")
    ap.add_argument("--send-threads", type=int, default=None,
                    help="HUNAR_SEND_THREADS for the workers (default: the app's, 8; 0 sends from the job)")
    ap.add_argument("--web-threads", type=int, default=None, help="WEB_THREADS per gunicorn worker (default 4)")
    ap.add_argument("--record", default=None, help="key under which to keep the run in bench/RESULTS.md")
    ap.add_argument("--title", default=None)
    ap.add_argument("--notes", default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.rate is not None and (args.mode != "throughput" or args.rate <= 0):
        ap.error("--rate is a positive number of messages/s, for the throughput mode")
    if args.mode == "micro":
        return micro(args)
    if args.artisans is None:
        args.artisans = 300 if args.mode == "throughput" else 200
    return run_mode(args)


if __name__ == "__main__":
    raise SystemExit(main())
