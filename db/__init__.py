"""Database access: one engine and session factory per app, and Alembic migrations to shape the schema."""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from db.models import Base  # noqa: F401  (re-exported for migrations and tests)

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger("hunar.db")


_AFTER_COMMIT = "hunar.after_commit"


def after_commit(session: Session, fn: Callable[[], object]) -> None:
    """Run `fn` once this session's transaction has committed (never if it rolls back); failures are logged.

    For work outside the database that must not happen unless the change did: deleting a file, releasing Twilio's
    copy of a photo, queueing a listing's sync."""
    session.info.setdefault(_AFTER_COMMIT, []).append(fn)


@contextmanager
def after_commit_scope(session: Session) -> Iterator[None]:
    """A part of a transaction whose after-commit work is dropped if it raises (a savepoint rolled back, an
    attempt done again): what the failed part meant to do after the commit must not happen."""
    waiting = session.info.setdefault(_AFTER_COMMIT, [])
    mark = len(waiting)
    try:
        yield
    except BaseException:
        del waiting[mark:]
        raise


def discard_after_commit(session: Session) -> None:
    """Forget what waited for a commit that will not come (the transaction rolled back)."""
    session.info.pop(_AFTER_COMMIT, None)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; ours are all UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (the form PaaS providers and CI hand out)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL lets readers work beside one writer; busy_timeout makes writers wait instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pre-ping, but only for a connection that sat unused a while.

    Pinging on every checkout costs a round trip per session; a connection in steady use is known to be alive,
    and a dead one found mid-use invalidates the whole pool (the request gets a 503, the next one reconnects).
    """

    def _stamp(dbapi_connection, record, *args) -> None:
        record.info["idle_since"] = time.monotonic()

    def _checkout(dbapi_connection, record, proxy) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("connection found dead after sitting idle") from exc  # the pool reconnects

    event.listen(engine, "connect", _stamp)
    event.listen(engine, "checkin", _stamp)
    event.listen(engine, "checkout", _checkout)


class Database:
    """The engine and session factory for one database URL."""

    def __init__(self, url: str, pool_size: int = 5):
        """`pool_size`: connections kept per process, as many as its threads may use at once (more are opened
        when needed but closed again after use, which costs a new connection each time)."""
        self.url = normalise_url(url)
        if self.url.startswith("sqlite"):
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 10},
                                                hide_parameters=True)
            event.listen(self.engine, "connect", _tune_sqlite)
        else:
            self.engine = create_engine(self.url, pool_size=pool_size, max_overflow=10, hide_parameters=True)
            _ping_when_idle(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._autocommit_sessions = sessionmaker(self.engine.execution_options(isolation_level="AUTOCOMMIT"),
                                                 expire_on_commit=False)

    @contextmanager
    def session(self, *, autocommit: bool = False) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error.

        With `autocommit`, every statement commits on its own (no BEGIN, no COMMIT round trips): for work whose
        writes stand alone, like recording each reply as it leaves.

        What `after_commit(session, fn)` queued runs once the commit has succeeded (deleting files that the
        committed change no longer needs); failures are logged, not raised.
        """
        s = (self._autocommit_sessions if autocommit else self.sessions)()
        try:
            yield s
            self.commit(s)
        except BaseException:
            s.rollback()
            discard_after_commit(s)
            raise
        finally:
            s.close()

    @staticmethod
    def commit(session: Session) -> None:
        """Commit, then run what waited for it (`after_commit`), logging their failures."""
        session.commit()
        for callback in session.info.pop(_AFTER_COMMIT, []):
            try:
                callback()
            except Exception:
                log.exception("after-commit action failed")

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection where each statement commits on its own: one round trip for a one-statement write."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def upgrade(self, revision: str = "head") -> None:
        """Run Alembic migrations up to `revision` (a database already at the head costs one query, no Alembic)."""
        if revision == "head" and self.current_revision() == head_revision():
            return
        from alembic import command

        command.upgrade(alembic_config(self.url), revision)
        self.engine.dispose()  # pooled connections predate the new schema

    def current_revision(self) -> str | None:
        """The revision the database is at, or None before the first migration."""
        try:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # no such table yet (or no database): Alembic will say what is wrong
            return None

    def dispose(self) -> None:
        self.engine.dispose()


def head_revision() -> str | None:
    """The newest migration, read from the files: the one revision no other names as its down_revision."""
    import re

    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        if rev:
            revisions.add(rev.group(1))
        if down:
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def alembic_config(url: str):
    """An Alembic config pointing at our migrations and the given database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg
