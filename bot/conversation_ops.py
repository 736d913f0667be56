"""What the bot, the sender and staff do to a conversation or its artisan: flag it for staff, opt the artisan out or
back in, take it over, let it go, hand it back to the bot. (Erasure, which does much more, is bot.erasure.)

Each operation sets its columns and records its audit event one way, at the `now` its caller read from the injected
clock. Whether to do it (already opted out? allowed to release?) is the caller's decision; how is decided here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot import flags
from db import audit
from db.models import Artisan, Conversation


def flag(session: Session, conv: Conversation, reason: str, detail: str | None, *, now: datetime, actor: str,
         listing_id: int | None = None, since: datetime | None = None, **data) -> None:
    """Put the conversation in the helpdesk queue with why (`reason`, a queue.REASONS code) and what (`detail`).

    Each reason is a flag of its own (bot/flags.py), several may be open at once; flagged again for an open reason
    (and listing), it keeps its first time and takes the new detail. `since` is when the artisan began to wait
    when that was before `now` (a listing found waiting for review). `data` (e.g. an error code) goes to the audit."""
    flags.open_flag(session, conv, reason, detail, since=since or now, listing_id=listing_id)
    audit.record(session, "conversation.flagged", actor=actor, at=now, artisan_id=conv.artisan_id,
                 conversation_id=conv.id, reason=reason, detail=detail,
                 **({"listing_id": listing_id} if listing_id else {}), **data)


def close_flags(session: Session, conv: Conversation, *, now: datetime, actor: str, reasons=None,
                listing_id: int | None = None) -> None:
    """What the artisan waited for was done: close those open flags (a review: that listing's), recorded."""
    closed = flags.close(session, conv, now=now, by=actor, reasons=reasons, listing_id=listing_id)
    if closed:
        audit.record(session, "conversation.flags_closed", actor=actor, at=now, artisan_id=conv.artisan_id,
                     conversation_id=conv.id, reasons=sorted({flag.reason for flag in closed}))


def opt_out(session: Session, artisan: Artisan, *, now: datetime, actor: str, code: str | None = None,
            conversation_id: int | None = None) -> None:
    """Stop every send to the artisan (STOP, or a block Twilio reported as `code`) until they write again.

    Replies made after `now` are skipped by the sender; the one made at `now` (the confirmation of STOP) still goes."""
    artisan.opted_out_at = now
    audit.record(session, "artisan.opt_out", actor=actor, at=now, artisan_id=artisan.id,
                 conversation_id=conversation_id, **({"code": code} if code else {}))


def opt_in(session: Session, artisan: Artisan, *, now: datetime, actor: str,
           conversation_id: int | None = None) -> None:
    """Messages may flow to the artisan again (they wrote after opting out, or asked to start)."""
    artisan.opted_out_at = None
    audit.record(session, "artisan.opt_in", actor=actor, at=now, artisan_id=artisan.id,
                 conversation_id=conversation_id)


def assign(session: Session, conversation_id: int, staff_id: int, *, now: datetime, actor: str) -> bool:
    """Give the conversation to a staff member if nobody holds it; the bot is silent while a person helps.

    One conditional UPDATE decides, so of two staff taking it at once exactly one wins (True); only the winner's
    takeover is recorded. False when someone (maybe the same person) already held it, or there is no such one."""
    won = session.execute(
        update(Conversation).where(Conversation.id == conversation_id, Conversation.assignee_id.is_(None))
        .values(assignee_id=staff_id, mode="human", updated_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1
    if won:
        conv = session.get(Conversation, conversation_id)
        audit.record(session, "helpdesk.takeover", actor=actor, at=now, artisan_id=conv.artisan_id,
                     conversation_id=conv.id, reason=conv.flag_reason)
    return won


def release(session: Session, conv: Conversation, *, now: datetime, actor: str) -> None:
    """Let go without handing back: the bot stays silent and the conversation waits in the queue for another
    person (with the flags it had, or a "released" one)."""
    conv.assignee_id = None
    if not flags.open_flags(session, conv.id):
        flags.open_flag(session, conv, "released", None, since=now)
    audit.record(session, "helpdesk.release", actor=actor, at=now, artisan_id=conv.artisan_id,
                 conversation_id=conv.id)


def return_to_bot(session: Session, conv: Conversation, *, now: datetime, actor: str, step: str) -> None:
    """Hand the conversation back: the bot answers again (from `step`), nobody holds it, it leaves the queue but
    for its listings still waiting for review (those flags close when the listing is approved or rejected)."""
    conv.mode, conv.assignee_id = "bot", None
    flags.close(session, conv, now=now, by=actor, keep=(flags.REVIEW,))
    audit.record(session, "helpdesk.hand_back", actor=actor, at=now, artisan_id=conv.artisan_id,
                 conversation_id=conv.id, step=step)
