"""Staff accounts: creating them, checking passwords with a lockout, the first admin, and canned-reply seeds."""
from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.window import aware
from db import audit
from db.models import CannedReply, Event, StaffUser

ROLES = ("agent", "admin")
MIN_PASSWORD = 10
CANNED = Path(__file__).with_name("canned.yml")


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as wrong passwords (made on first use:
    hashing costs a few hundred milliseconds that start-up should not pay)."""
    return generate_password_hash(secrets.token_hex(8))


class AccountError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    error: str | None = None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")


def create_user(session: Session, name: str, password: str, role: str, *, must_change: bool = False,
                actor: str = "system") -> StaffUser:
    """A new staff account with a hashed password."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise AccountError("the name must be 1 to 80 characters")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    if session.scalar(select(StaffUser.id).where(StaffUser.name == name)):
        raise AccountError(f"there is already a staff user called {name!r}")
    user = StaffUser(name=name, password_hash=generate_password_hash(password), role=role,
                     must_change_password=must_change, failed_logins=0, active=True)
    session.add(user)
    session.flush()
    audit.record(session, "staff.created", actor=actor, user=user.id, name=name, role=role)
    return user


def set_password(session: Session, user: StaffUser, password: str, *, must_change: bool, actor: str) -> None:
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = must_change
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, "staff.password", actor=actor, user=user.id)


def login(session: Session, name: str, password: str, now: datetime, *, max_failed: int,
          lockout: timedelta) -> LoginResult:
    """Check a name and password; too many failures in a row lock the account for a while."""
    user = session.scalar(select(StaffUser).where(StaffUser.name == (name or "").strip()))
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password or "")
        return LoginResult(None, "Wrong name or password.")
    if user.locked_until is not None and aware(user.locked_until) > now:
        return LoginResult(None, "This account is locked after too many failed logins; try again later.")
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= max_failed:
            user.locked_until = now + lockout
            user.failed_logins = 0
            audit.record(session, "staff.locked", actor="system", at=now, user=user.id)
            return LoginResult(None, "This account is locked after too many failed logins; try again later.")
        return LoginResult(None, "Wrong name or password.")
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, "staff.login", actor=f"staff:{user.id}", at=now)
    return LoginResult(user)


def ensure_first_admin(session: Session) -> tuple[str, str] | None:
    """With no staff at all, make `admin` with a one-time password (changed at first login); None otherwise."""
    if session.scalar(select(func.count(StaffUser.id))):
        return None
    password = secrets.token_urlsafe(12)
    create_user(session, "admin", password, "admin", must_change=True)
    seed_canned(session)
    return "admin", password


def seed_canned(session: Session) -> int:
    """Load helpdesk/canned.yml into the table once (admins edit them afterwards)."""
    if session.scalar(select(Event.id).where(Event.kind == "helpdesk.canned_seeded").limit(1)):
        return 0
    items = yaml.safe_load(CANNED.read_text(encoding="utf-8")) or []
    added = 0
    for item in items:
        if not session.scalar(select(CannedReply.id).where(CannedReply.title == item["title"])):
            session.add(CannedReply(title=str(item["title"])[:80], body=str(item["body"]).strip()))
            added += 1
    audit.record(session, "helpdesk.canned_seeded", actor="system", count=added)
    return added
