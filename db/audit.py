"""The audit trail: one call to record who did what, used by the bot, the marketplace and the helpdesk."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models import Event, utcnow


def record(session: Session, kind: str, *, actor: str = "bot", at: datetime | None = None,
           artisan_id: int | None = None, conversation_id: int | None = None, listing_id: int | None = None,
           **data) -> Event:
    """Add an event row in the caller's transaction (so the record and the change commit together)."""
    event = Event(kind=kind, actor=actor, at=at or utcnow(), artisan_id=artisan_id,
                  conversation_id=conversation_id, listing_id=listing_id, data=data)
    session.add(event)
    return event
