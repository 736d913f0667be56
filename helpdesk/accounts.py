"""Staff accounts: creating them, checking passwords with a lockout, the first admin, and canned-reply seeds."""
from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import yaml
from sqlalchemy import and_, case, func, literal, null, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from db import audit
from db.models import CannedReply, Event, StaffUser

if TYPE_CHECKING:
    from db import Database

ROLES = ("agent", "admin")
MIN_PASSWORD = 10
MAX_PASSWORD = 128
MIN_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable: moderate protection from offline slow-hash attacks"
CANNED = Path(__file__).with_name("canned.yml")
# One answer for every refused login (unknown name, wrong password, locked name), so none tells which names exist.
LOGIN_REFUSED = ("Wrong name or password. After several wrong tries a name is locked for a while, except in a "
                 "browser that has logged in with it before.")
SITE_WORDS = ("hunar", "helpdesk", "admin", "agent", "staff")  # what anyone guessing a Hunar password tries first
PASSWORD_ADVICE = "use a phrase of three or four unrelated words, or let a password manager make one"


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as wrong passwords (made on first use:
    hashing costs a few hundred milliseconds that start-up should not pay)."""
    return generate_password_hash(secrets.token_hex(8))


class AccountError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


def sentence(error: AccountError) -> str:
    """The error's message as a sentence for a page: "The password needs …"."""
    text = str(error)
    return text[:1].upper() + text[1:] + "."


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    error: str | None = None


def check_password_rules(password: str, name: str = "") -> None:
    """Long enough, and not easy to guess: zxcvbn (Dropbox's estimator, with its lists of common passwords,
    names, words and keyboard patterns) must rate it 3 of 4 or better, and it must not contain the user's name."""
    _check_length(password)
    name = (name or "").strip().lower()
    if len(name) >= 3 and name in password.lower():
        raise AccountError(f"the password must not contain your name; {PASSWORD_ADVICE}")
    _check_guessable(password, name)


def _check_length(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password may have at most {MAX_PASSWORD} characters")


def _check_guessable(password: str, name: str) -> None:
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password[:72], user_inputs=[w for w in (name, *SITE_WORDS) if w])
    if verdict["score"] < MIN_SCORE:
        raise AccountError(f"that password is too easy to guess{_why(verdict)}; {PASSWORD_ADVICE}")


def _why(verdict: dict) -> str:
    """zxcvbn's warning as " (why)", or nothing when it gave none."""
    warning = (verdict.get("feedback") or {}).get("warning") or ""
    return f" ({warning.rstrip('.').lower()})" if warning else ""


def one_time_password(name: str = "") -> str:
    """A random password that passes the rules (for a new account or a reset; changed at first login)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password_rules(password, name)
        except AccountError:  # it happened to contain the name, or looks like a pattern: draw again
            continue
        return password


def create_user(session: Session, name: str, password: str, role: str, *, now: datetime, must_change: bool = False,
                actor: str = "system") -> StaffUser:
    """A new staff account with a hashed password."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise AccountError("the name must be 1 to 80 characters")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    check_password_rules(password, name)
    if session.scalar(select(StaffUser.id).where(StaffUser.name == name)):
        raise AccountError(f"there is already a staff user called {name!r}")
    user = StaffUser(name=name, password_hash=generate_password_hash(password), role=role,
                     must_change_password=must_change, failed_logins=0, active=True)
    session.add(user)
    session.flush()
    audit.record(session, "staff.created", actor=actor, at=now, user=user.id, name=name, role=role)
    return user


def set_password(session: Session, user: StaffUser, password: str, *, now: datetime, must_change: bool,
                 actor: str) -> None:
    check_password_rules(password, user.name)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = must_change
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, "staff.password", actor=actor, at=now, user=user.id)


def count_attempt(session: Session, user_id: int, now: datetime, *, max_failed: int, lockout: timedelta) -> int:
    """Count one login try for a name, atomically, before its password is checked; returns the count.

    One conditional UPDATE … RETURNING (PostgreSQL, SQLite 3.35+): parallel tries each get their own number, so at
    most `max_failed` tries per lock period are ever checked. The try that reaches `max_failed` starts the lock;
    the first try after the lock has run out starts counting again from 1. A successful login resets the count."""
    expired = and_(StaffUser.locked_until.is_not(None), StaffUser.locked_until <= now)
    until = literal(now + lockout, StaffUser.locked_until.type)
    stmt = (update(StaffUser).where(StaffUser.id == user_id)
            .values(failed_logins=case((expired, 1), else_=StaffUser.failed_logins + 1),
                    locked_until=case((expired, until if max_failed <= 1 else null()),
                                      (and_(StaffUser.locked_until.is_(None),
                                            StaffUser.failed_logins + 1 >= max_failed), until),
                                      else_=StaffUser.locked_until))
            .returning(StaffUser.failed_logins)
            .execution_options(synchronize_session=False))
    return session.execute(stmt).scalar_one_or_none() or 0


def login(db: Database, name: str, password: str, now: datetime, *, max_failed: int, lockout: timedelta,
          known_device: Callable[[int], bool] = lambda user_id: False) -> LoginResult:
    """Check a name and password. Every refusal is the same answer after the same work (one counted try and one
    password hash), whether the name is unknown, the password wrong or the name locked.

    Tries from a browser this name logged in from before (`known_device(user_id)` is True: the signed device
    cookie, OWASP's "device cookie" pattern) are not counted against the name and not refused by its lock, so a
    guesser locking a name never locks its owner out of their usual browser. Existing sessions are never touched."""
    password = password or ""
    row = _active_staff(db, (name or "").strip())
    if row is None:
        with db.session() as s:  # the same round trip a real name's count costs
            count_attempt(s, 0, now, max_failed=max_failed, lockout=lockout)
        check_password_hash(_dummy_hash(), password)
        return LoginResult(None, LOGIN_REFUSED)
    trusted = known_device(row.id)
    count = 0 if trusted else _count(db, row.id, now, max_failed=max_failed, lockout=lockout)
    right = check_password_hash(row.password_hash, password)  # hashed even when locked: same time, same answer
    if count > max_failed or not right:
        return _refused(db, row.id, now, started_lock=count == max_failed and not right)
    return LoginResult(_logged_in(db, row.id, now, trusted=trusted))


def _active_staff(db: Database, name: str):
    """The id and password hash of the active staff member called `name`, or None."""
    if not 0 < len(name) <= 80:
        return None
    with db.session() as s:
        row = s.execute(select(StaffUser.id, StaffUser.password_hash, StaffUser.active)
                        .where(StaffUser.name == name)).first()
    return row if row is not None and row.active else None


def _count(db: Database, user_id: int, now: datetime, *, max_failed: int, lockout: timedelta) -> int:
    """`count_attempt` committed before the slow hash: parallel tries see each other's counts."""
    with db.session() as s:
        return count_attempt(s, user_id, now, max_failed=max_failed, lockout=lockout)


def _refused(db: Database, user_id: int, now: datetime, *, started_lock: bool) -> LoginResult:
    """The one answer to every refused login; the wrong try that locked the name is recorded."""
    if started_lock:
        with db.session() as s:
            audit.record(s, "staff.locked", actor="system", at=now, user=user_id)
    return LoginResult(None, LOGIN_REFUSED)


def _logged_in(db: Database, user_id: int, now: datetime, *, trusted: bool) -> StaffUser:
    """The staff member, detached, after a right password; a try from an unknown browser clears the name's count."""
    with db.session() as s:
        user = s.get(StaffUser, user_id)
        if not trusted:
            user.failed_logins = 0
            user.locked_until = None
        audit.record(s, "staff.login", actor=f"staff:{user.id}", at=now, known_device=trusted)
        s.flush()
        s.expunge(user)
    return user


def ensure_first_admin(session: Session, now: datetime) -> tuple[str, str] | None:
    """With no staff at all, make `admin` with a one-time password (changed at first login); None otherwise."""
    if session.scalar(select(func.count(StaffUser.id))):
        return None
    password = one_time_password("admin")
    create_user(session, "admin", password, "admin", now=now, must_change=True)
    seed_canned(session, now)
    return "admin", password


def seed_canned(session: Session, now: datetime) -> int:
    """Load helpdesk/canned.yml into the table once (admins edit them afterwards)."""
    if session.scalar(select(Event.id).where(Event.kind == "helpdesk.canned_seeded").limit(1)):
        return 0
    items = yaml.safe_load(CANNED.read_text(encoding="utf-8")) or []
    added = 0
    for item in items:
        if not session.scalar(select(CannedReply.id).where(CannedReply.title == item["title"])):
            session.add(CannedReply(title=str(item["title"])[:80], body=str(item["body"]).strip()))
            added += 1
    audit.record(session, "helpdesk.canned_seeded", actor="system", at=now, count=added)
    return added
