"""Shared fixtures: an app on SQLite+fakeredis or on real PostgreSQL+Redis, the drivers that talk to it (`whatsapp`,
`twilio`, staff at the helpdesk) and the Twilio fakes. The drivers themselves live in tests/support/."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from app import create_app
from db import Base, Database, normalise_url
from fakes.twilio import FakeHost, FakeTwilio
from tests.support.desk import Desk, make_staff
from tests.support.services import DATABASE_URL, DEFAULT_STACK, REDIS_URL, SERVICES_MISSING
from tests.support.twilio import Twilio, twilio_settings
from tests.support.whatsapp import WhatsApp


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "hunar.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()  # the last connection to close checkpoints the WAL into the file we copy
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A database of our own on the CI server, migrated once, dropped at the end."""
    if not DATABASE_URL:
        pytest.skip(SERVICES_MISSING)
    admin = create_engine(normalise_url(DATABASE_URL), isolation_level="AUTOCOMMIT")
    name = f"hunar_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = normalise_url(DATABASE_URL).rsplit("/", 1)[0] + "/" + name
    Database(url).upgrade()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(url: str) -> None:
    """Empty every table for the next test. A previous test's stray thread (a live stream, a retry timer) may
    still hold a connection mid-query, and TRUNCATE would deadlock with it: those connections are ended first."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def make_app(tmp_path, request):
    """Build an app on a stack ("embedded" or "services") with test settings; cleans up after itself."""
    made = []

    def build(stack: str = DEFAULT_STACK, config: dict | None = None, services: dict | None = None):
        settings = {"INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "test", "TESTING": True,
                    "JOBS_INLINE": True, "REDIS_PREFIX": f"test:{uuid.uuid4().hex[:10]}:"}
        if stack == "services":
            if not (DATABASE_URL and REDIS_URL):
                pytest.skip(SERVICES_MISSING)
            url = request.getfixturevalue("postgres_url")
            _truncate(url)
            settings.update(DATABASE_URL=url, REDIS_URL=REDIS_URL)
        else:
            db_file = tmp_path / f"hunar-{len(made)}.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), db_file)
            settings.update(DATABASE_URL=f"sqlite:///{db_file}", REDIS_URL=None)
        settings.update(config or {})
        app = create_app(settings, services)
        made.append(app)
        return app

    yield build
    for app in made:
        services = app.extensions["hunar"]
        if services.settings.get("REDIS_URL"):
            prefix = services.settings["REDIS_PREFIX"]
            try:
                keys = list(services.redis.scan_iter(match=prefix + "*", count=500)) + _rq_keys(services)
                if keys:
                    services.redis.delete(*keys)
                services.redis.srem("rq:queues", services.jobs.queue.key)
            except redis.exceptions.ConnectionError:
                pass  # a test's own Redis, already stopped
            services.redis.close()
        services.db.dispose()


def _rq_keys(services) -> list:
    """RQ's own keys for this test's queue (RQ names them rq:…, outside our prefix): queue, registries, jobs."""
    from rq.registry import (CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry,
                             ScheduledJobRegistry, StartedJobRegistry)

    queue = services.jobs.queue
    registries = [cls(queue=queue) for cls in (CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry,
                                                FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry)]
    ids = set(queue.job_ids)
    for registry in registries:
        ids.update(registry.get_job_ids())
    return ([queue.key] + [registry.key for registry in registries]
            + [f"rq:job:{i}" for i in ids] + [f"rq:results:{i}" for i in ids])


@pytest.fixture
def app(make_app):
    """The app on the default stack."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def whatsapp(app):
    """An artisan chatting through the simulator API: `whatsapp.say("नमस्ते")`, `whatsapp.send_photo(jpeg)`."""
    return WhatsApp(app.test_client())


@pytest.fixture
def fake_twilio():
    """Twilio's REST API on 127.0.0.1 (fakes.twilio)."""
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def cdn():
    """Twilio's media CDN stand-in (mms.twiliocdn.com): no credentials needed."""
    fake = FakeHost()
    yield fake
    fake.close()


@pytest.fixture
def twilio_app(make_app, fake_twilio, cdn):
    """The embedded app (SQLite, fakeredis, jobs inline) talking to the local Twilio fakes."""
    return make_app("embedded", twilio_settings(fake_twilio, cdn))


@pytest.fixture
def twilio(twilio_app):
    """Twilio calling `twilio_app`'s webhook with signed forms: `twilio.say("नमस्ते")`."""
    return Twilio(twilio_app.test_client())


@pytest.fixture
def agent(app):
    """A helpdesk agent, logged in."""
    desk = Desk(app.test_client(), make_staff(app, "asha"))
    assert desk.login().status_code == 302
    return desk


@pytest.fixture
def admin(app):
    """A helpdesk admin, logged in."""
    desk = Desk(app.test_client(), make_staff(app, "ravi", role="admin"))
    assert desk.login().status_code == 302
    return desk
