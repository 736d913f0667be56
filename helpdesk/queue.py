"""The queue: flagged conversations, oldest first, with every open reason, who, where and how long they waited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from bot.telemetry import mask
from db.models import Artisan, Conversation, Flag, Listing, Message, StaffUser
from helpdesk.flag_words import describe

REASONS = {
    "asked_human": "Asked for a person",
    "misses": "Three misses at one step",
    "voice_note": "Voice note the bot cannot read",
    "photo_rejected": "Photos rejected twice",
    "media_failed": "Media download failed",
    "send_failed": "Message could not be sent",
    "no_reply": "No reply mid-listing",
    "review": "Listing waiting for review",
    "bot_error": "Bot error",
    "released": "Released by staff",
}
FILTERS = ("all", "mine", "unassigned")


@dataclass(frozen=True)
class Reason:
    """One open flag as the desk shows it: its label, its detail in words, since when, and its listing (a review)."""

    code: str
    label: str
    words: str
    opened_at: datetime
    listing_id: int | None


@dataclass(frozen=True)
class Row:
    conversation_id: int
    artisan: str
    address: str
    district: str | None
    flow: str | None
    step: str | None
    reasons: list[Reason]
    flagged_at: datetime  # the oldest open reason's: how long the artisan has waited
    assignee: str | None
    mine: bool
    mode: str
    last_text: str


def reason_label(code: str | None) -> str:
    return REASONS.get(code or "", code or "—")


def reasons(session: Session, conversation_ids) -> dict[int, list[Reason]]:
    """The open flags of these conversations, each conversation's longest-waiting first, in one query."""
    found: dict[int, list[Reason]] = {cid: [] for cid in conversation_ids}
    if found:
        query = (select(Flag).where(Flag.conversation_id.in_(list(found)), Flag.closed_at.is_(None))
                 .order_by(Flag.opened_at, Flag.id))
        for flag in session.scalars(query):
            found[flag.conversation_id].append(Reason(
                flag.reason, reason_label(flag.reason), describe(flag.reason, flag.detail, flag.opened_at),
                flag.opened_at, flag.listing_id))
    return found


def rows(session: Session, *, me: int, show: str = "all", reason: str | None = None, limit: int = 300) -> list[Row]:
    """The flagged conversations matching the filters, the longest-waiting first."""
    staff = aliased(StaffUser)
    last_in = (select(Message.body).where(Message.conversation_id == Conversation.id, Message.direction == "in")
               .order_by(Message.id.desc()).limit(1).correlate(Conversation).scalar_subquery())
    query = (select(Conversation, Artisan, staff.name, last_in)
             .join(Artisan, Artisan.id == Conversation.artisan_id)
             .outerjoin(staff, staff.id == Conversation.assignee_id)
             .where(Conversation.flagged_at.is_not(None), *_filters(me, show, reason))
             .order_by(Conversation.flagged_at, Conversation.id).limit(limit))
    found = session.execute(query).all()
    open_reasons = reasons(session, [conv.id for conv, *_ in found])
    return [_row(conv, artisan, assignee, text, me, open_reasons[conv.id]) for conv, artisan, assignee, text in found]


def _filters(me: int, show: str, reason: str | None) -> list:
    """The queue's filters as WHERE clauses: whose (FILTERS) and why (REASONS)."""
    whose = {"mine": Conversation.assignee_id == me, "unassigned": Conversation.assignee_id.is_(None)}
    clauses = [whose[show]] if show in whose else []
    return clauses + ([_has_open(reason)] if reason else [])


def _has_open(reason: str):
    """A WHERE clause: the conversation has an open flag for `reason`."""
    return exists().where(Flag.conversation_id == Conversation.id, Flag.reason == reason, Flag.closed_at.is_(None))


def _row(conv: Conversation, artisan: Artisan, assignee: str | None, text: str | None, me: int,
         open_reasons: list[Reason]) -> Row:
    return Row(conversation_id=conv.id, artisan=artisan.name or artisan.profile_name or "(no name yet)",
               address=mask(artisan.address), district=artisan.district, flow=conv.flow, step=conv.step,
               reasons=open_reasons, flagged_at=conv.flagged_at, assignee=assignee,
               mine=conv.assignee_id == me, mode=conv.mode, last_text=(text or "")[:120])


def count(session: Session) -> int:
    """How many conversations wait in the queue (for the page title)."""
    return session.scalar(select(func.count(Conversation.id)).where(Conversation.flagged_at.is_not(None))) or 0


@dataclass(frozen=True)
class Refused:
    """A listing a sales channel refused: staff fix the cause (often a setting) and try again from its card."""

    listing_id: int
    conversation_id: int | None
    artisan: str
    channel: str
    reason: str


def refused(session: Session, channels, limit: int = 20) -> list[Refused]:
    """Listings whose last attempt on one of `channels` failed, newest first (at most `limit`)."""
    found: list[Refused] = []
    for channel in sorted(channels):
        status = Listing.channels[channel]["status"].as_string()
        rows = session.execute(
            select(Listing.id, Listing.channels, Artisan.name, Artisan.address, Conversation.id)
            .join(Artisan, Artisan.id == Listing.artisan_id)
            .outerjoin(Conversation, Conversation.artisan_id == Listing.artisan_id)
            .where(status == "error").order_by(Listing.id.desc()).limit(limit))
        found += [Refused(listing_id, conversation_id, name or mask(address), channel, _why_refused(states, channel))
                  for listing_id, states, name, address, conversation_id in rows]
    return sorted(found, key=lambda r: r.listing_id, reverse=True)[:limit]


def _why_refused(states: dict, channel: str) -> str:
    """The channel's reason for its last refusal, as it recorded it."""
    error = (states.get(channel) or {}).get("error") or {}
    return error.get("reason") or error.get("code") or "refused"
