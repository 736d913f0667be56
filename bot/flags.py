"""The rows behind the helpdesk queue: each reason a conversation waits for staff, open until dealt with.

Only bot/conversation_ops.py calls these (its `flag`, `close_flags`, `release`, `return_to_bot`), so the
conversation's summary columns always agree with its open flags: `flagged_at` is the oldest open flag's time (how
long the artisan has waited), `flag_reason` and `flag_detail` the newest open flag's.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import Conversation, Flag

REVIEW = "review"  # a listing waiting for staff to approve or reject: work for staff, not help for the artisan


def open_flag(session: Session, conv: Conversation, reason: str, detail: str | None, *, since: datetime,
              listing_id: int | None = None) -> Flag:
    """Open a flag for `reason` (about `listing_id`), waiting since `since`; the same one again only gets the new
    detail and keeps its first time."""
    same_listing = Flag.listing_id.is_(None) if listing_id is None else Flag.listing_id == listing_id
    flag = session.scalar(_open_query(conv.id).where(Flag.reason == reason, same_listing))
    if flag is None:
        flag = Flag(conversation_id=conv.id, reason=reason, listing_id=listing_id, opened_at=since)
        session.add(flag)
    flag.detail = detail
    session.flush()
    summarise(session, conv)
    return flag


def close(session: Session, conv: Conversation, *, now: datetime, by: str, reasons: Iterable[str] | None = None,
          keep: Iterable[str] = (), listing_id: int | None = None) -> list[Flag]:
    """Close the conversation's open flags of `reasons` (all but `keep` when None), only `listing_id`'s if given."""
    query = _open_query(conv.id)
    if reasons is not None:
        query = query.where(Flag.reason.in_(tuple(reasons)))
    if keep:
        query = query.where(Flag.reason.not_in(tuple(keep)))
    if listing_id is not None:
        query = query.where(Flag.listing_id == listing_id)
    closed = list(session.scalars(query))
    for flag in closed:
        flag.closed_at, flag.closed_by = now, by
    session.flush()
    summarise(session, conv)
    return closed


def open_flags(session: Session, conversation_id: int) -> list[Flag]:
    """The conversation's open flags, the longest-waiting first."""
    return list(session.scalars(_open_query(conversation_id)))


def summarise(session: Session, conv: Conversation) -> None:
    """The conversation's summary columns from its open flags."""
    flags = open_flags(session, conv.id)
    newest = max(flags, key=lambda flag: flag.id, default=None)
    conv.flagged_at = flags[0].opened_at if flags else None
    conv.flag_reason = newest.reason if newest else None
    conv.flag_detail = newest.detail if newest else None


def needs_a_person():
    """A WHERE clause: the conversation has an open flag other than a review (someone should talk to them)."""
    return exists().where(Flag.conversation_id == Conversation.id, Flag.closed_at.is_(None), Flag.reason != REVIEW)


def _open_query(conversation_id: int):
    return (select(Flag).where(Flag.conversation_id == conversation_id, Flag.closed_at.is_(None))
            .order_by(Flag.opened_at, Flag.id))
