"""What the outside sees of the work: one log line per message (numbers masked), Prometheus metrics kept in
Redis so that every process adds to one count, and live events for the helpdesk, all sent in one round trip."""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from sqlalchemy import func, select

from db.models import Conversation, Listing

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.messages")

_NUMBER = re.compile(r"\+?\d{7,15}")


def mask(address: str | None) -> str:
    """+919812343210 → +91•••••43210: enough to tell artisans apart in a log, not enough to call them."""
    if not address:
        return "-"
    prefix, _, rest = address.rpartition(":")
    prefix = prefix + ":" if prefix else ""
    return prefix + (_mask_number(rest) if _NUMBER.fullmatch(rest) else _mask_id(rest))


def _mask_number(number: str) -> str:
    """The country code and the last digits (five of a long number, three of a short one)."""
    digits = number.lstrip("+")
    keep_tail = 5 if len(digits) > 8 else 3
    head = "+" + digits[:2] if number.startswith("+") else digits[:2]
    return f"{head}{'•' * (len(digits) - 2 - keep_tail)}{digits[-keep_tail:]}"


def _mask_id(value: str) -> str:
    """A BSUID or anything else: its country part and a short tail."""
    return f"{value[:3]}…{value[-4:]}" if len(value) > 8 else "•••"


def log_message(direction: str, channel: str, address: str, text: str, media: int = 0, status: str = "") -> None:
    """One line per message: direction, channel, masked address, length, media count, status."""
    log.info("%s %s %s chars=%d media=%d %s", direction, channel, mask(address), len(text or ""), media, status)


_ANY_NUMBER = re.compile(r"(?<![\w•])(?:whatsapp:)?\+?\d{10,15}(?!\d)")


class MaskNumbers(logging.Filter):
    """Masks anything that looks like a phone number in every log line, whoever wrote it (defence in depth)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_all(message)
        if masked != message:
            record.msg, record.args = masked, None
        # A traceback (a database error quoting its parameters, say) is formatted here, once, and masked:
        # every formatter uses `exc_text` when it is set.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = _masked(record.exc_text)
        record.stack_info = _masked(record.stack_info)
        return True


def mask_all(text: str) -> str:
    """`text` with every phone-like number in it masked."""
    return _ANY_NUMBER.sub(lambda m: mask(m.group(0)), text)


def _masked(text: str | None) -> str | None:
    """`mask_all` of a record's optional text."""
    return mask_all(text) if text else text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the error, when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info or record.exc_text:  # exc_text: already formatted, and masked, by MaskNumbers
            entry["error"] = record.exc_text or mask_all(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class WriteBatch:
    """Inside `batch()`, `write()`s queue on this thread's pipeline, sent when the batch ends; outside, at once.

    These writes are best-effort by design: a Redis hiccup must never fail the message that caused them."""

    def __init__(self, redis):
        self.redis = redis
        self._local = threading.local()

    @contextmanager
    def batch(self):
        """Everything written inside goes to Redis in one round trip at the end (a webhook, a job, a send)."""
        if getattr(self._local, "pipe", None) is not None:
            yield
            return
        self._local.pipe = self.redis.pipeline(transaction=False)
        try:
            yield
        finally:
            pipe, self._local.pipe = self._local.pipe, None
            try:
                if pipe.command_stack:  # `send` may have taken them all
                    pipe.execute()
            except Exception:
                pass

    def write(self, commands) -> None:
        """`commands(pipe)` adds its commands to a pipeline: this thread's batch, or one sent now."""
        pipe = getattr(self._local, "pipe", None)
        try:
            if pipe is not None:
                commands(pipe)
                return
            with self.redis.pipeline(transaction=False) as pipe:
                commands(pipe)
                pipe.execute()
        except Exception:
            pass

    def send(self, commands) -> list:
        """Run `commands(pipe)` now, with whatever this thread's batch has queued, in one round trip; returns
        the results of `commands`' own commands. Unlike `write`, a failure is raised: the caller needs them."""
        pipe = getattr(self._local, "pipe", None)
        if pipe is None:
            with self.redis.pipeline(transaction=False) as pipe:
                commands(pipe)
                return pipe.execute()
        queued = len(pipe.command_stack)
        commands(pipe)
        try:
            results = pipe.execute(raise_on_error=False)[queued:]  # a lost connection still raises here
        except Exception:  # redis-py may keep the commands (no connection yet): never replay them at the batch's end
            pipe.reset()
            raise
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results


BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
COUNTERS = {
    "messages": ("hunar_messages", "Messages in and out, by direction and channel.", ("direction", "channel")),
    "nlu_misses": ("hunar_nlu_misses", "Answers the bot could not use, by step.", ("step",)),
    "twilio_errors": ("hunar_twilio_errors", "Twilio send and delivery errors, by error code.", ("code",)),
    "messages_spooled": ("hunar_messages_spooled", "Messages kept in the webhook's spool during an outage.", ()),
}
HISTOGRAMS = {
    "job_seconds": ("hunar_job_seconds", "Time to handle a conversation's waiting messages.", ()),
    "webhook_seconds": ("hunar_webhook_seconds", "Time to acknowledge a Twilio webhook.", ()),
}


def _key(labels: dict) -> str:
    return "|".join(f"{k}={labels[k]}" for k in sorted(labels))


def _labels(key: str) -> dict:
    return dict(part.split("=", 1) for part in key.split("|")) if key else {}


class Metrics:
    """Counters and histograms as Redis hashes under `<prefix>metrics:`; gauges read at scrape time."""

    def __init__(self, redis, prefix: str, writes: WriteBatch | None = None):
        self.redis = redis
        self.prefix = f"{prefix}metrics:"
        self.writes = writes or WriteBatch(redis)

    def batch(self):
        """Everything counted inside goes to Redis in one round trip at the end (a webhook, a job)."""
        return self.writes.batch()

    def inc(self, name: str, amount: float = 1, **labels) -> None:
        assert name in COUNTERS, name
        self.writes.write(lambda pipe: pipe.hincrbyfloat(self.prefix + name, _key(labels), amount))

    def observe(self, name: str, seconds: float, **labels) -> None:
        assert name in HISTOGRAMS, name
        key = _key(labels)
        # One bucket per observation (the first bound it fits under, or +Inf) and the sum: two commands where
        # Prometheus's cumulative buckets would take fourteen; `collect` adds them up.
        bound = next((b for b in BUCKETS if seconds <= b), "+Inf")

        def commands(pipe):
            pipe.hincrby(self.prefix + name, f"{key}#in={bound}", 1)
            pipe.hincrbyfloat(self.prefix + name, f"{key}#sum", seconds)

        self.writes.write(commands)

    @contextmanager
    def timer(self, name: str, **labels):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.observe(name, time.perf_counter() - start, **labels)

    def render(self, services: Services) -> bytes:
        """The text exposition format for `GET /metrics`."""
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_Collector(self, services))
        return generate_latest(registry)

    def _hash(self, name: str) -> dict[str, float]:
        raw = self.redis.hgetall(self.prefix + name)
        return {(k.decode() if isinstance(k, bytes) else k): float(v) for k, v in raw.items()}


class _Collector:
    """Turns the Redis hashes and a few database counts into metric families."""

    def __init__(self, metrics: Metrics, services: Services):
        self.metrics = metrics
        self.services = services

    def collect(self):
        yield from self._counters()
        yield from self._histograms()
        yield from self._queues()
        yield from self._database()

    def _counters(self):
        for name, (metric, doc, label_names) in COUNTERS.items():
            family = CounterMetricFamily(metric, doc, labels=label_names)
            for key, value in sorted(self.metrics._hash(name).items()):
                family.add_metric(_label_values(key, label_names), value)
            yield family

    def _histograms(self):
        for name, (metric, doc, label_names) in HISTOGRAMS.items():
            family = HistogramMetricFamily(metric, doc, labels=label_names)
            data = self.metrics._hash(name)
            for key in sorted({k.split("#", 1)[0] for k in data}):
                family.add_metric(_label_values(key, label_names), _cumulative(data, key), data.get(f"{key}#sum", 0.0))
            yield family

    def _queues(self):
        depth = GaugeMetricFamily("hunar_queue_depth", "Jobs waiting in the queue.")
        depth.add_metric([], 0 if self.services.jobs.inline else self.services.jobs.queue.count)
        yield depth
        ready = GaugeMetricFamily("hunar_conversations_waiting", "Conversations with a message no worker took yet.")
        ready.add_metric([], self.services.inbox.waiting())
        yield ready

    def _database(self):
        listings = GaugeMetricFamily("hunar_listings", "Listings by status.", labels=("status",))
        flagged = GaugeMetricFamily("hunar_conversations_flagged", "Conversations waiting for the helpdesk.")
        with self.services.db.session() as session:
            for status, count in session.execute(select(Listing.status, func.count()).group_by(Listing.status)):
                listings.add_metric([status], count)
            flagged.add_metric([], session.scalar(
                select(func.count()).select_from(Conversation).where(Conversation.flagged_at.is_not(None))))
        yield listings
        yield flagged


def _label_values(key: str, label_names: tuple[str, ...]) -> list[str]:
    """The values of a hash field's labels, in the family's order ("" for one it lacks)."""
    labels = _labels(key)
    return [labels.get(name, "") for name in label_names]


def _cumulative(data: dict, key: str) -> list[tuple[str, float]]:
    """Prometheus's cumulative buckets from our one-count-per-bucket hash fields ("#in=<bound>")."""
    cumulative, total = [], 0.0
    for bound in (*BUCKETS, "+Inf"):
        total += data.get(f"{key}#in={bound}", 0.0)
        cumulative.append((str(bound), total))
    return cumulative


class LiveEvents:
    """Tells live helpdesk pages what changed, on one Redis pub/sub channel; inside a batch the event leaves with
    it, after the work is committed."""

    def __init__(self, writes: WriteBatch, prefix: str):
        self.writes = writes
        self.channel = prefix + "events"

    def publish(self, kind: str, data: dict) -> None:
        payload = json.dumps({"kind": kind, **data})
        self.writes.write(lambda pipe: pipe.publish(self.channel, payload))
