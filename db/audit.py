"""The audit trail: one call to record who did what, used by the bot, the marketplace and the helpdesk."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models import Event


def record(session: Session, kind: str, *, at: datetime, actor: str = "bot", artisan_id: int | None = None,
           conversation_id: int | None = None, listing_id: int | None = None, **data) -> Event:
    """Add an event row in the caller's transaction (so the record and the change commit together).

    `at` is the caller's injected clock, never the wall clock here: a test's frozen time and the rest of the
    change it records must agree."""
    event = Event(kind=kind, actor=actor, at=at, artisan_id=artisan_id,
                  conversation_id=conversation_id, listing_id=listing_id, data=data)
    session.add(event)
    return event
