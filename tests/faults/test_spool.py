"""No acknowledged message is lost: with PostgreSQL or Redis gone, Twilio's webhook still answers 200 because the
message is in the spool (bot/spool.py), and the recovery job records and handles each one once when they return."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from bot import jobs
from bot.spool import Spool
from fakes.images import encode, product_photo
from tests.faults.test_faults import own_redis  # noqa: F401  (a fixture: a redis-server the test may kill)
from tests.support.services import DATABASE_URL
from tests.support.tcpproxy import TcpProxy
from tests.support.twilio import Twilio, messages, twilio_settings

ARTISANS = [f"whatsapp:+9198120{n:05d}" for n in range(10)]


@pytest.fixture
def cut_postgres(request):
    """A TCP proxy in front of the test database that the test cuts and restores: (proxy, URL through it)."""
    if not DATABASE_URL:
        pytest.skip("needs a real PostgreSQL: set DATABASE_URL")
    url = request.getfixturevalue("postgres_url")
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname, parts.port or 5432)
    request.addfinalizer(proxy.close)
    return proxy, url.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}")


@pytest.fixture
def pg_twilio_app(make_app, cut_postgres, fake_twilio, cdn):
    """The app on PostgreSQL through the cuttable proxy and a real Redis, Twilio faked, jobs inline."""
    _, url = cut_postgres
    return make_app("services", {**twilio_settings(fake_twilio, cdn), "DATABASE_URL": url})


def spooled(app) -> list[dict]:
    """Every message waiting in the app's spool, oldest first."""
    spool = Spool.of(app.extensions["hunar"].settings)
    entries = [entry for path in [*spool.path.glob("*.jsonl"), *spool.path.glob("*.draining")]
               for entry in spool.read(path)]
    return sorted(entries, key=lambda entry: entry["at"])


def assert_each_handled_once(app, fake_twilio, sids: list[str]) -> None:
    """Every one of these messages is recorded once and handled; every reply went to Twilio exactly once."""
    inbound = [m for m in messages(app, "in") if m.twilio_sid in set(sids)]
    assert sorted(m.twilio_sid for m in inbound) == sorted(sids), "each message recorded once"
    assert {m.status for m in inbound} == {"processed"}, "and handled"
    out = messages(app, "out")
    answered = {(m.extra or {}).get("in_reply_to") for m in out}
    assert all(m.id in answered for m in inbound), "each message got its reply"
    sent_sids = [m.twilio_sid for m in out]
    assert len(fake_twilio.sent) == len(out) == len(set(sent_sids)), "each reply sent once"


def test_postgres_cut_webhooks_answer_200_and_recovery_handles_each_once(pg_twilio_app, cut_postgres, fake_twilio):
    proxy, _ = cut_postgres
    twilio = Twilio(pg_twilio_app.test_client())
    before = [twilio.form(a, "नमस्ते") for a in ARTISANS[:3]]
    for form in before:
        assert twilio.post(form).status_code == 200

    proxy.cut()
    during = [twilio.form(a, text) for text in ("हाँ", "सुनीता देवी") for a in ARTISANS[:3]]
    answers = [twilio.post(form).status_code for form in during]
    assert answers == [200] * len(during), "acknowledged: Twilio will not send them again"
    assert [dict(e["form"]) for e in spooled(pg_twilio_app)] == during, "kept whole, media URLs and all"
    proxy.restore()

    assert jobs.drain_spool(services=pg_twilio_app.extensions["hunar"]) == len(during)
    assert spooled(pg_twilio_app) == []
    sids = [f["MessageSid"] for f in before + during]
    assert_each_handled_once(pg_twilio_app, fake_twilio, sids)
    sent = len(fake_twilio.sent)
    assert jobs.drain_spool(services=pg_twilio_app.extensions["hunar"]) == 0, "recovery twice changes nothing"
    assert len(fake_twilio.sent) == sent
    for artisan in ARTISANS[:3]:  # in order: the name came after the consent
        bodies = [m.body for m in messages(pg_twilio_app, "in") if m.twilio_sid in sids and
                  m.conversation_id == _conversation(pg_twilio_app, artisan)]
        assert bodies == ["नमस्ते", "हाँ", "सुनीता देवी"]


def _conversation(app, address: str) -> int:
    from tests.support.twilio import artisan_and_conversation

    return artisan_and_conversation(app, address)[1].id



@pytest.fixture
def redis_twilio_app(make_app, own_redis, fake_twilio, cdn):  # noqa: F811
    """The app on PostgreSQL and a Redis of the test's own that it may kill, Twilio faked, jobs inline."""
    return make_app("services", {**twilio_settings(fake_twilio, cdn), "REDIS_URL": own_redis.url})


def test_redis_down_webhooks_answer_200_and_recovery_handles_each_once(redis_twilio_app, own_redis,  # noqa: F811
                                                                       fake_twilio):
    """Without Redis the message still reaches PostgreSQL, the durable record: nothing needs the spool, and the
    recovery job finds the messages left waiting once Redis is back."""
    twilio = Twilio(redis_twilio_app.test_client())
    before = [twilio.form(a, "नमस्ते") for a in ARTISANS[:3]]
    for form in before:
        assert twilio.post(form).status_code == 200

    own_redis.kill()
    during = [twilio.form(a, text) for text in ("हाँ", "सुनीता देवी") for a in ARTISANS[:3]]
    answers = [twilio.post(form).status_code for form in during]
    assert answers == [200] * len(during), "acknowledged: Twilio will not send them again"
    kept = {m.twilio_sid for m in messages(redis_twilio_app, "in")}
    kept |= {dict(entry["form"])["MessageSid"] for entry in spooled(redis_twilio_app)}
    assert {f["MessageSid"] for f in during} <= kept, "each one kept durably before the 200"
    own_redis.start()  # an empty Redis: no queue, no flags

    services = redis_twilio_app.extensions["hunar"]
    jobs.drain_spool(services=services)
    jobs.recover_stalled(services=services, older_than=timedelta(0))
    assert_each_handled_once(redis_twilio_app, fake_twilio, [f["MessageSid"] for f in before + during])
    sent = len(fake_twilio.sent)
    jobs.drain_spool(services=services)
    jobs.recover_stalled(services=services, older_than=timedelta(0))
    assert len(fake_twilio.sent) == sent, "recovery twice sends nothing again"


def test_a_photo_spooled_during_a_cut_is_fetched_after_recovery(pg_twilio_app, cut_postgres, fake_twilio):
    """The spool keeps Twilio's media URL: the photo is fetched (with our credentials) once the message is handled."""
    proxy, _ = cut_postgres
    twilio = Twilio(pg_twilio_app.test_client())
    for text in ("नमस्ते", "हाँ"):  # consented: media is taken, not held
        assert twilio.say(text, ARTISANS[0]).status_code == 200
    url = fake_twilio.media(encode(product_photo(1200, 900)))

    proxy.cut()
    form = twilio.form(ARTISANS[0], "", NumMedia="1", MediaUrl0=url, MediaContentType0="image/jpeg")
    assert twilio.post(form).status_code == 200
    assert fake_twilio.requests("GET", urlsplit(url).path) == [], "nothing fetched while it waits in the spool"
    proxy.restore()

    assert jobs.drain_spool(services=pg_twilio_app.extensions["hunar"]) == 1
    [photo] = [m for m in messages(pg_twilio_app, "in") if m.twilio_sid == form["MessageSid"]]
    assert photo.status == "processed" and photo.media[0]["url"] == url and photo.media[0]["photo"]["verdict"] == "ok"
    assert fake_twilio.requests("GET", urlsplit(url).path)[0].auth is not None


def test_when_even_the_spool_cannot_be_written_twilio_gets_a_503_to_retry(make_app, cut_postgres, fake_twilio, cdn,
                                                                         tmp_path):
    """A full or broken disk: the one case left to Twilio's retry (#rp=…,5xx in the webhook URL, README)."""
    proxy, url = cut_postgres
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("the spool cannot live under a file")
    app = make_app("services", {**twilio_settings(fake_twilio, cdn), "DATABASE_URL": url,
                                "SPOOL_DIR": str(blocker / "spool")})
    twilio = Twilio(app.test_client())
    proxy.cut()
    form = twilio.form(ARTISANS[0], "नमस्ते")
    answer = twilio.post(form)
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    proxy.restore()
    assert twilio.post(form).status_code == 200, "Twilio's retry"
    assert [m.twilio_sid for m in messages(app, "in")] == [form["MessageSid"]]


def test_a_worker_records_what_was_spooled_when_it_starts(make_app, fake_twilio, cdn):
    """`python -m bot.worker` drains the spool before its first job (the web host and it share the instance)."""
    from tests.support.waiting import wait_until
    from tests.support.workers import start_workers, stop

    app = make_app("services", twilio_settings(fake_twilio, cdn))
    forms = [Twilio.form(ARTISANS[0], text) for text in ("नमस्ते", "हाँ")]
    spool = Spool.of(app.extensions["hunar"].settings)
    for form in forms:
        spool.keep(list(form.items()), None, app.extensions["hunar"].clock().timestamp())
    workers = start_workers(app, count=1)
    try:
        wait_until(lambda: [m.status for m in messages(app, "in")] == ["processed"] * 2, 60, "the worker's drain")
    finally:
        stop(workers)
    assert not spool.pending() and [m.twilio_sid for m in messages(app, "in")] == [f["MessageSid"] for f in forms]


def test_spooled_messages_drained_while_redis_is_down_wait_in_the_database(make_app, cut_postgres, own_redis,  # noqa: F811
                                                                        fake_twilio, cdn):
    """PostgreSQL back, Redis not yet: the drain records the messages and empties the spool; the recovery job
    queues them once Redis is back, as it does for any message recorded without its queueing."""
    proxy, url = cut_postgres
    app = make_app("services", {**twilio_settings(fake_twilio, cdn), "DATABASE_URL": url, "REDIS_URL": own_redis.url})
    twilio = Twilio(app.test_client())
    proxy.cut()
    forms = [twilio.form(ARTISANS[0], text) for text in ("नमस्ते", "हाँ")]
    assert [twilio.post(form).status_code for form in forms] == [200, 200]
    own_redis.kill()
    proxy.restore()

    services = app.extensions["hunar"]
    assert jobs.drain_spool(services=services) == 2 and spooled(app) == []
    assert [m.status for m in messages(app, "in")] == ["received", "received"]
    own_redis.start()
    jobs.recover_stalled(services=services, older_than=timedelta(0))
    assert_each_handled_once(app, fake_twilio, [f["MessageSid"] for f in forms])
