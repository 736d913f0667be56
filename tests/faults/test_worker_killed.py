"""A worker SIGKILLed while it holds a conversation (issue 20): another worker's watchdog lets go of its lock and
answers the conversation's waiting message, once, long before the lock would have expired by itself."""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.faults.test_redis_outage_heals import _messages
from tests.support.own_redis import own_redis  # noqa: F401  (a fixture)
from tests.support.services import DATABASE_URL
from tests.support.twilio import Twilio, artisan_and_conversation, twilio_settings
from tests.support.waiting import wait_until
from tests.support.workers import ROOT, start_workers, stop

ARTISAN, OTHER = "whatsapp:+919812345601", "whatsapp:+919812345602"
LOCK_SECONDS = 900  # far longer than the test waits: only the takeover can free the dead worker's lock in time

# A worker process as far as Redis can tell: it beats, writes down what it holds, takes a conversation's lock, and
# then hangs there until it is SIGKILLed.
DOOMED = """
import sys, time, redis
from bot.liveness import Liveness
from bot.locks import ConversationLock
client = redis.Redis.from_url(sys.argv[1])
liveness = Liveness(client, sys.argv[2])
liveness.start()
lock = ConversationLock(client, timeout=float(sys.argv[4]), prefix=sys.argv[2])
lock.holding = liveness.holding
lock.acquire(int(sys.argv[3]), "the-doomed-workers-token")
print("held", flush=True)
time.sleep(3600)
"""


def test_a_killed_workers_conversation_is_answered_once_by_another_worker(make_app, fake_twilio, cdn, own_redis):
    if not DATABASE_URL:
        pytest.skip("needs a real PostgreSQL: set DATABASE_URL (.ci/run does)")
    app = make_app("services", twilio_settings(fake_twilio, cdn, JOBS_INLINE=False, REDIS_URL=own_redis.url,
                                               LOCK_TIMEOUT_SECONDS=LOCK_SECONDS))
    services = app.extensions["hunar"]
    workers = start_workers(app)
    doomed = None
    try:
        phone = Twilio(app.test_client())
        for sender in (ARTISAN, OTHER):
            assert phone.say("नमस्ते", sender=sender).status_code == 200
        wait_until(lambda: len(fake_twilio.sent) >= 2, 120, "the first replies (workers up)")
        conversation_id = artisan_and_conversation(app, ARTISAN)[1].id

        doomed = subprocess.Popen([sys.executable, "-c", DOOMED, own_redis.url, services.inbox.prefix,
                                   str(conversation_id), str(LOCK_SECONDS)],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert doomed.stdout.readline().strip() == "held"
        assert services.redis.exists(services.lock.holder_key(conversation_id))
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)

        before = len(fake_twilio.sent)
        assert phone.say("हाँ", sender=ARTISAN).status_code == 200
        assert phone.say("हाँ", sender=OTHER).status_code == 200
        wait_until(lambda: len(fake_twilio.sent) >= before + 2, 120,
                   "both answered: the killed worker's lock let go of by a watchdog, not by its 15-minute expiry")
        wait_until(lambda: all(m.status == "processed" for m in _messages(app, "in")), 30, "every message handled")
        wait_until(lambda: not [m for m in _messages(app, "out") if m.status in ("pending", "sending")], 30,
                   "every reply sent")
        replies = [m for m in _messages(app, "out") if m.conversation_id == conversation_id]
        sent = [req.one("Body") for req in fake_twilio.sent if req.one("To") == ARTISAN]
        assert len(sent) == len(replies) >= 2, "each reply sent once"
        assert all(body.startswith(reply.body) for body, reply in zip(sent, replies)), "in order"
    finally:
        if doomed is not None and doomed.poll() is None:
            doomed.kill()
        stop(workers)
