"""The spool's files under crashes: a torn last line, a writer that died mid-append, a drain killed half-way, a
full disk. Messages are spooled by the real writer (bot/spool.py) and drained by the recovery job."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import jobs
from bot.spool import Spool
from db.models import Message
from tests.support.twilio import Twilio, messages

ARTISAN = "whatsapp:+919812300001"
ONBOARDING = ("नमस्ते", "हाँ", "सुनीता देवी")


def spool_of(app) -> Spool:
    return Spool.of(app.extensions["hunar"].settings)


def keep(app, form: dict) -> None:
    """What the webhook does when the inbox fails: the form into this process's spool file."""
    spool_of(app).keep(list(form.items()), None, app.extensions["hunar"].clock().timestamp())


def handled(app) -> list[tuple[str, str]]:
    """(text, status) of every inbound message, in the order recorded."""
    return [(m.body, m.status) for m in messages(app, "in")]


def test_a_torn_last_line_is_skipped_and_the_whole_ones_are_recorded(twilio_app, fake_twilio):
    forms = [Twilio.form(ARTISAN, text) for text in ONBOARDING]
    for form in forms[:2]:
        keep(twilio_app, form)
    whole = spool_of(twilio_app).own_file().read_bytes()
    keep(twilio_app, forms[2])
    own = spool_of(twilio_app).own_file()
    own.write_bytes(own.read_bytes()[: len(whole) + 40])  # the writer died mid-append: never acknowledged

    assert jobs.drain_spool(services=twilio_app.extensions["hunar"]) == 2
    assert handled(twilio_app) == [("नमस्ते", "processed"), ("हाँ", "processed")]
    assert not spool_of(twilio_app).pending()


def test_a_line_appended_after_a_torn_one_stays_whole(twilio_app):
    keep(twilio_app, Twilio.form(ARTISAN, "नमस्ते"))
    own = spool_of(twilio_app).own_file()
    own.write_bytes(own.read_bytes() + b'{"form": [["MessageSid", "SM')  # a previous writer's torn append
    keep(twilio_app, Twilio.form(ARTISAN, "हाँ"))

    assert jobs.drain_spool(services=twilio_app.extensions["hunar"]) == 2
    assert handled(twilio_app) == [("नमस्ते", "processed"), ("हाँ", "processed")]


def test_a_drain_killed_half_way_loses_nothing_and_doubles_nothing(twilio_app, fake_twilio, monkeypatch):
    services = twilio_app.extensions["hunar"]
    for text in ONBOARDING:
        keep(twilio_app, Twilio.form(ARTISAN, text))
    real_record, calls = services.inbox.record, []

    def dies_on_the_third(msg):
        calls.append(msg.sid)
        if len(calls) == 3:
            raise SystemExit("worker killed mid-drain")
        return real_record(msg)

    monkeypatch.setattr(services.inbox, "record", dies_on_the_third)
    with pytest.raises(SystemExit):
        jobs.drain_spool(services=services)
    monkeypatch.setattr(services.inbox, "record", real_record)
    assert [text for text, _ in handled(twilio_app)] == ["नमस्ते", "हाँ"], "recorded, not yet queued"
    assert spool_of(twilio_app).pending(), "the claimed file is still there"

    assert jobs.drain_spool(services=services) == 3, "the next drain takes the whole file again"
    assert handled(twilio_app) == [(text, "processed") for text in ONBOARDING], "each recorded once, handled"
    out = messages(twilio_app, "out")
    assert len(fake_twilio.sent) == len(out) and len({m.extra["in_reply_to"] for m in out}) == 3
    assert jobs.drain_spool(services=services) == 0 and len(fake_twilio.sent) == len(out)



def test_a_drain_out_of_time_writes_the_rest_back_for_the_next(twilio_app):
    """A request may drain for a few seconds only: what it did not get to stays in the spool, whole and in order."""
    from bot.spool_drain import drain

    services = twilio_app.extensions["hunar"]
    for text in ONBOARDING:
        keep(twilio_app, Twilio.form(ARTISAN, text))
    assert drain(services, budget=0.0) is None, "the budget ran out: some still wait"
    left = [dict(entry["form"])["Body"] for path in spool_of(twilio_app).claim() for entry in Spool.read(path)]
    assert left[-1] == ONBOARDING[-1] and len(left) + len(handled(twilio_app)) == len(ONBOARDING)
    assert drain(services) == len(left)
    assert handled(twilio_app) == [(text, "processed") for text in ONBOARDING]

def test_a_message_already_recorded_before_the_drain_is_handled_once(twilio_app, fake_twilio):
    """The store came back between the spool's write and its drain, and Twilio's retry was recorded meanwhile."""
    twilio = Twilio(twilio_app.test_client())
    form = Twilio.form(ARTISAN, "नमस्ते")
    keep(twilio_app, form)
    assert twilio.post(form).status_code == 200  # the same MessageSid again (a retry): drained first, once
    assert jobs.drain_spool(services=twilio_app.extensions["hunar"]) == 0
    assert handled(twilio_app) == [("नमस्ते", "processed")]
    assert len(fake_twilio.sent) == len(messages(twilio_app, "out")) == 1


def test_spooled_messages_keep_their_place_before_a_new_one(twilio_app):
    """The webhook records what waits in the spool before the message in hand."""
    for text in ONBOARDING[:2]:
        keep(twilio_app, Twilio.form(ARTISAN, text))
    assert Twilio(twilio_app.test_client()).say(ONBOARDING[2], ARTISAN).status_code == 200
    assert handled(twilio_app) == [(text, "processed") for text in ONBOARDING]
    assert not spool_of(twilio_app).pending()


def test_a_web_process_records_what_was_spooled_before_it_started(tmp_path):
    """gunicorn's post_worker_init drains the spool: messages kept before a restart do not wait for the cron."""
    from db import Database
    from tests.support.proxy import Gunicorn
    from tests.support.twilio import PUBLIC
    from tests.support.waiting import wait_until

    forms = [Twilio.form(ARTISAN, text) for text in ONBOARDING]
    spool = Spool(tmp_path / "spool")
    for n, form in enumerate(forms):
        spool.keep(list(form.items()), None, 1_800_000_000 + n)
    web = Gunicorn(tmp_path, PUBLIC, {}, workers=1, threads=2)
    db = Database(f"sqlite:///{tmp_path / 'hunar.db'}")
    try:
        web.start()

        def recorded():
            with db.session() as s:
                return [(m.body, m.status) for m in s.scalars(select(Message).where(Message.direction == "in")
                                                              .order_by(Message.id))]

        assert wait_until(lambda: len(recorded()) == 3 and recorded(), 60, "the spool drained at start") == \
            [(text, "processed") for text in ONBOARDING]
        assert not spool.pending()
    finally:
        web.stop()
        db.dispose()


def test_a_web_process_that_cannot_write_its_spool_refuses_to_start(make_app, tmp_path):
    """gunicorn's post_worker_init checks the folder: an outage must not be the first time anyone finds out."""
    import runpy
    from types import SimpleNamespace

    from tests.support.proxy import ROOT

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("the spool cannot live under a file")
    app = make_app(config={"SPOOL_DIR": str(blocker / "spool")})
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    with pytest.raises(RuntimeError, match="spool folder"):
        conf["post_worker_init"](SimpleNamespace(wsgi=app))
    conf["post_worker_init"](SimpleNamespace(wsgi=make_app()))  # a writable one starts
