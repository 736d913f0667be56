"""The production shape through a PostgreSQL cut: gunicorn (2 processes, 4 threads), RQ workers, Redis, PostgreSQL
behind a proxy the test cuts while artisans keep writing. Every acknowledged message is recorded once and handled,
in each artisan's order; the figures are printed (`pytest -s`) for bench/RESULTS.md."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import jobs
from bot.web.webhook import sign
from db.models import Message
from fakes.twilio import TOKEN
from tests.faults.test_spool import cut_postgres  # noqa: F401  (a fixture)
from tests.support.proxy import Gunicorn, post_form, status_of
from tests.support.twilio import PUBLIC, Twilio, twilio_settings
from tests.support.waiting import wait_until
from tests.support.workers import start_workers, stop, worker_env

ARTISANS, EACH, SENDERS = 50, 10, 8  # 500 messages
RATE, CUT = 80.0, 3.0  # messages a second offered; PostgreSQL cut for 3 s after the first quarter, as in the report


def _texts(n: int) -> list[str]:
    """What an artisan says: onboarding, then listing answers (each gets a reply, whatever the step)."""
    return ["नमस्ते", "हाँ", f"सुनीता {n}", "पानीपत", "दरी बुनाई", "दरी", "सूती", "1200 रुपये", "2", "हाँ"][:EACH]


class Artisans(threading.Thread):
    """A few artisans, each writing their messages one after another, open loop: the k-th message of this
    thread leaves at start + k / rate, or at once when the webhook was slower than that."""

    def __init__(self, port: int, numbers: list[int], rate: float):
        super().__init__(daemon=True)
        self.port, self.numbers, self.rate = port, numbers, rate
        self.sent: list[tuple[str, str, int]] = []  # (address, MessageSid, HTTP status), in order
        self.took: list[float] = []  # seconds to each answer

    def run(self) -> None:
        start = time.monotonic()
        for step in range(EACH):
            for n in self.numbers:
                time.sleep(max(0.0, start + len(self.sent) / self.rate - time.monotonic()))  # the offered load
                address = f"whatsapp:+9198124{n:05d}"
                form = Twilio.form(address, _texts(n)[step])
                headers = {"X-Twilio-Signature": sign(PUBLIC + "/webhooks/twilio", form, TOKEN)}
                began = time.monotonic()
                answer = post_form(self.port, "/webhooks/twilio", form, headers)
                self.took.append(time.monotonic() - began)
                self.sent.append((address, form["MessageSid"], status_of(answer)))


@pytest.fixture
def production(make_app, cut_postgres, fake_twilio, cdn, tmp_path):  # noqa: F811
    """gunicorn and two RQ workers on PostgreSQL through the proxy; yields (app for reading, gunicorn port)."""
    proxy, url = cut_postgres
    app = make_app("services", {**twilio_settings(fake_twilio, cdn), "DATABASE_URL": url,
                                "INSTANCE_PATH": str(tmp_path / "instance"), "INBOUND_RATE_LIMIT": 0})
    workers = start_workers(app, count=2)
    web = Gunicorn(tmp_path, PUBLIC, {}, workers=2, threads=4)
    web.env.update({**worker_env(app), "HUNAR_INBOUND_RATE_LIMIT": "0", "ACCESS_LOG": "0"})
    web.start()
    yield app, web.port
    web.stop()
    stop(workers)


def test_500_webhooks_through_a_postgres_cut_none_lost_none_doubled(production, cut_postgres,  # noqa: F811
                                                                   fake_twilio):
    app, port = production
    proxy, _ = cut_postgres
    senders = [Artisans(port, list(range(i, ARTISANS, SENDERS)), RATE / SENDERS) for i in range(SENDERS)]
    total = ARTISANS * EACH
    sent = lambda: sum(len(s.sent) for s in senders)  # noqa: E731
    for s in senders:
        s.start()
    wait_until(lambda: sent() >= total // 4, 120, "the first quarter")
    proxy.cut()
    cut_at, cut_from = time.monotonic(), sent()
    wait_until(lambda: time.monotonic() - cut_at >= CUT, 120, "the cut's end")
    proxy.restore()
    cut_for, during = time.monotonic() - cut_at, sent() - cut_from
    for s in senders:
        s.join(120)

    answers = [a for s in senders for a in s.sent]
    services = app.extensions["hunar"]
    jobs.drain_spool(services=services)  # what the cron would do; the webhook drains on its next message too

    def all_handled():
        jobs.recover_stalled(services=services, older_than=timedelta(seconds=5))  # the cron's, sooner
        with services.db.session() as s:
            rows = s.execute(select(Message.twilio_sid, Message.status).where(Message.direction == "in")).all()
            pending = s.scalar(select(func.count(Message.id)).where(Message.direction == "out",
                                                                     Message.status == "pending"))
        handled = len(rows) >= total and all(status == "processed" for _, status in rows)
        return handled and not pending and len(fake_twilio.sent) >= len(_replies(services)) and rows

    rows = wait_until(all_handled, 240, "every acknowledged message to be handled", every=1.0)
    acknowledged = {sid for _, sid, status in answers if status == 200}
    recorded = [sid for sid, _ in rows]
    lost = acknowledged - set(recorded)
    spooled = int(float(services.redis.hget(services.settings["REDIS_PREFIX"] + "metrics:messages_spooled", "") or 0))
    print(f"\nspool loop: {len(answers)} webhooks, {during} during a {cut_for:.1f}-s PostgreSQL cut, {spooled} spooled; "
          f"{len(acknowledged)} answered 200, {len(answers) - len(acknowledged)} not; {len(lost)} lost; "
          f"{len(recorded) - len(set(recorded))} recorded twice")
    took = sorted(t for s in senders for t in s.took)
    print(f"acks: p50 {took[len(took) // 2] * 1000:.0f} ms, p99 {took[int(len(took) * 0.99)] * 1000:.0f} ms, "
          f"max {took[-1] * 1000:.0f} ms")
    out = _replies(services)
    print(f"replies: {len(out)} recorded, {len(fake_twilio.sent)} sent to Twilio, "
          f"{len(fake_twilio.sent) - len({m.twilio_sid for m in out})} sent twice")
    assert len(acknowledged) == len(answers), "every webhook answered 200, the cut's too"
    assert not lost and len(recorded) == len(set(recorded)) == total
    _assert_in_order(services, answers)


def _replies(services) -> list[Message]:
    with services.db.session() as s:
        return list(s.scalars(select(Message).where(Message.direction == "out")))


def _assert_in_order(services, answers) -> None:
    """Each artisan's messages were recorded (so handled) in the order they were sent."""
    with services.db.session() as s:
        ids = dict(s.execute(select(Message.twilio_sid, Message.id).where(Message.direction == "in")).all())
    by_artisan: dict[str, list[int]] = {}
    for address, sid, _ in answers:
        by_artisan.setdefault(address, []).append(ids[sid])
    assert all(order == sorted(order) for order in by_artisan.values()), "no artisan's messages reordered"
