"""Send once against real faults (PostgreSQL and Redis needed): a worker SIGKILLed, and PostgreSQL cut, in the
moment between Twilio taking a reply and our record of it. After recovery Twilio holds exactly one copy."""
from __future__ import annotations

import os
import signal
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from bot import jobs
from tests.support.services import DATABASE_URL, REDIS_URL
from tests.support.twilio import Twilio, messages, twilio_settings
from tests.support.waiting import wait_until
from tests.support.workers import start_workers, stop

pytestmark = pytest.mark.skipif(not (DATABASE_URL and REDIS_URL),
                                reason="needs a real PostgreSQL and Redis: set DATABASE_URL and REDIS_URL")


def _on_first_create(fake, then):
    """Twilio takes the first create, then `then()` happens before its answer leaves."""
    create = fake.routes[("POST", fake.messages_path)]
    done = []

    def hooked(seen):
        answer = create(seen)
        if not done and answer[0] == 201:
            done.append(True)
            then()
        return answer

    fake.route(fake.messages_path, hooked, method="POST")


def test_a_worker_sigkilled_after_twilio_took_the_reply_sends_it_once(make_app, fake_twilio, cdn):
    app = make_app("services", twilio_settings(fake_twilio, cdn, JOBS_INLINE=False))
    services = app.extensions["hunar"]
    [worker] = start_workers(app, count=1, scheduler=False)
    workers = [worker]
    try:
        _on_first_create(fake_twilio, lambda: os.kill(worker.pid, signal.SIGKILL))
        assert Twilio(app.test_client()).say("नमस्ते").status_code == 200
        worker.wait(timeout=120)
        [out] = messages(app, "out")
        assert out.status == "sending" and len(fake_twilio.accepted) == 1

        workers += start_workers(app, count=1, scheduler=False)  # systemd restarts it
        assert jobs.recover_stalled(services=services, older_than=timedelta(0)) == 1
        wait_until(lambda: messages(app, "out")[0].status == "queued", 120, "the reply recorded")
        [out] = messages(app, "out")
        assert [m["sid"] for m in fake_twilio.accepted] == [out.twilio_sid]
        assert len(fake_twilio.sent) == 1, "found in Twilio's list, not sent again"
    finally:
        stop(workers)


def test_postgres_cut_after_twilio_took_the_reply_sends_it_once(make_app, fake_twilio, cdn, request):
    from tests.support.tcpproxy import TcpProxy

    url = request.getfixturevalue("postgres_url")
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname, parts.port or 5432)
    request.addfinalizer(proxy.close)
    proxied = url.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}")
    app = make_app("services", twilio_settings(fake_twilio, cdn, DATABASE_URL=proxied))
    twilio = Twilio(app.test_client())
    twilio.say("नमस्ते")
    twilio.say("हाँ")
    before = len(fake_twilio.accepted)

    _on_first_create(fake_twilio, proxy.cut)
    twilio.say("सुनीता देवी")  # its reply leaves, then the database is gone before the record
    proxy.restore()
    assert len(fake_twilio.accepted) == before + 1
    [waiting] = [m for m in messages(app, "out") if m.twilio_sid is None]
    assert waiting.status == "sending"

    jobs.flush_conversation(waiting.conversation_id, services=app.extensions["hunar"])
    outs = messages(app, "out")
    assert {m.status for m in outs} == {"queued"}
    assert [m["sid"] for m in fake_twilio.accepted] == [m.twilio_sid for m in outs], "each reply once, in order"
