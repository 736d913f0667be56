"""Prometheus metrics kept in Redis, so every web process and worker, on any machine, adds to one count."""
from __future__ import annotations

import time
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from sqlalchemy import func, select

from bot import jobs
from bot.writes import WriteBatch
from db.models import Conversation, Listing

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
COUNTERS = {
    "messages": ("hunar_messages", "Messages in and out, by direction and channel.", ("direction", "channel")),
    "nlu_misses": ("hunar_nlu_misses", "Answers the bot could not use, by step.", ("step",)),
    "twilio_errors": ("hunar_twilio_errors", "Twilio send and delivery errors, by error code.", ("code",)),
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

    def render(self, services) -> bytes:
        """The text exposition format for `GET /metrics`."""
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_Collector(self, services))
        return generate_latest(registry)

    def _hash(self, name: str) -> dict[str, float]:
        raw = self.redis.hgetall(self.prefix + name)
        return {(k.decode() if isinstance(k, bytes) else k): float(v) for k, v in raw.items()}


class _Collector:
    """Turns the Redis hashes and a few database counts into metric families."""

    def __init__(self, metrics: Metrics, services):
        self.metrics = metrics
        self.services = services

    def collect(self):
        for name, (metric, doc, label_names) in COUNTERS.items():
            family = CounterMetricFamily(metric, doc, labels=label_names)
            for key, value in sorted(self.metrics._hash(name).items()):
                labels = _labels(key)
                family.add_metric([labels.get(n, "") for n in label_names], value)
            yield family
        for name, (metric, doc, label_names) in HISTOGRAMS.items():
            family = HistogramMetricFamily(metric, doc, labels=label_names)
            data = self.metrics._hash(name)
            for key in sorted({k.split("#", 1)[0] for k in data}):
                cumulative, total = [], 0.0
                for bound in (*BUCKETS, "+Inf"):
                    total += data.get(f"{key}#in={bound}", 0.0)
                    cumulative.append((str(bound), total))
                labels = _labels(key)
                family.add_metric([labels.get(n, "") for n in label_names], cumulative, data.get(f"{key}#sum", 0.0))
            yield family
        depth = GaugeMetricFamily("hunar_queue_depth", "Jobs waiting in the queue.")
        queue = self.services.jobs.queue
        depth.add_metric([], 0 if self.services.jobs.inline else queue.count)
        yield depth
        ready = GaugeMetricFamily("hunar_conversations_waiting", "Conversations with a message no worker took yet.")
        ready.add_metric([], jobs.waiting(self.services))
        yield ready
        listings = GaugeMetricFamily("hunar_listings", "Listings by status.", labels=("status",))
        flagged = GaugeMetricFamily("hunar_conversations_flagged", "Conversations waiting for the helpdesk.")
        with self.services.db.session() as session:
            for status, count in session.execute(select(Listing.status, func.count()).group_by(Listing.status)):
                listings.add_metric([status], count)
            flagged.add_metric([], session.scalar(
                select(func.count()).select_from(Conversation).where(Conversation.flagged_at.is_not(None))))
        yield listings
        yield flagged
