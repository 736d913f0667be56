"""Analytics: conversations started, listings completed, drop-off by step, median time to list, share needing help."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template, request
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

import flows
from db import aware
from db.models import Conversation, Event, Listing, Message
from helpdesk.web import bp, now, services

STEPS = (*flows.ONBOARDING.names(), *flows.LISTING.names())
PERIODS = {"7": 7, "30": 30, "90": 90, "all": None}
MAX_LISTINGS_TIMED = 1000


@dataclass
class Figures:
    started: int
    listed: int
    helped: int
    help_share: float | None
    median_minutes: float | None
    dropoff: list[tuple[str, str, int]]  # (flow, step, conversations that went quiet there)


def figures(session: Session, since: datetime | None, at: datetime, quiet_after: timedelta) -> Figures:
    started = session.scalar(_since(select(func.count(Conversation.id)), Conversation.created_at, since)) or 0
    listed = session.scalar(_since(select(func.count(Listing.id)), Listing.created_at, since)) or 0
    # A listing waiting for review is staff's work, not help the artisan needed (issue 19): not counted.
    helped_q = (select(func.count(distinct(Event.conversation_id)))
                .join(Conversation, Conversation.id == Event.conversation_id)
                .where(Event.kind == "conversation.flagged", Event.data["reason"].as_string() != "review"))
    helped = session.scalar(_since(helped_q, Conversation.created_at, since)) or 0
    return Figures(started=started, listed=listed, helped=helped,
                   help_share=(helped / started) if started else None,
                   median_minutes=_median_minutes(session, since), dropoff=_dropoff(session, since, at, quiet_after))


def _since(query, column, since: datetime | None):
    """`query` limited to rows whose `column` is at or after `since` (all of them when it is None)."""
    return query.where(column >= since) if since else query


def _dropoff(session: Session, since: datetime | None, at: datetime, quiet_after: timedelta) -> list:
    """Conversations quiet for `quiet_after` by the step they stopped at, in the steps' order."""
    quiet = _since(
        select(Conversation.flow, Conversation.step, func.count(Conversation.id))
        .where(Conversation.flow.in_(("onboarding", "listing")), Conversation.step.is_not(None),
               Conversation.last_inbound_at < at - quiet_after)
        .group_by(Conversation.flow, Conversation.step), Conversation.created_at, since)
    order = {name: i for i, name in enumerate(STEPS)}
    return sorted((tuple(row) for row in session.execute(quiet)), key=lambda r: (order.get(r[1], 99), r[0]))


def _median_minutes(session: Session, since: datetime | None) -> float | None:
    """From the artisan's first message after their previous listing (or ever) to the listing's creation."""
    query = select(Listing.id, Listing.artisan_id, Listing.created_at).order_by(Listing.id.desc())
    if since:
        query = query.where(Listing.created_at >= since)
    recent = session.execute(query.limit(MAX_LISTINGS_TIMED)).all()
    durations = []
    for listing_id, artisan_id, created in recent:
        previous = session.scalar(select(func.max(Listing.created_at)).where(
            Listing.artisan_id == artisan_id, Listing.id < listing_id))
        first = select(func.min(Message.created_at)).join(Conversation, Conversation.id == Message.conversation_id) \
            .where(Conversation.artisan_id == artisan_id, Message.direction == "in", Message.created_at <= created)
        if previous is not None:
            first = first.where(Message.created_at > previous)
        began = session.scalar(first)
        if began is not None:
            durations.append((aware(created) - aware(began)).total_seconds() / 60)
    return statistics.median(durations) if durations else None


@bp.get("/analytics")
def analytics():
    period = request.args.get("days", "30")
    period = period if period in PERIODS else "30"
    at = now()
    since = at - timedelta(days=PERIODS[period]) if PERIODS[period] else None
    svc = services()
    quiet_after = timedelta(minutes=float(svc.settings["STUCK_AFTER_MINUTES"]))
    with svc.db.session() as s:
        data = figures(s, since, at, quiet_after)
    return render_template("helpdesk/analytics.html", f=data, period=period, periods=PERIODS,
                           quiet_minutes=int(quiet_after.total_seconds() // 60))
