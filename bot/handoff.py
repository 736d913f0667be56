"""Staff acting on a conversation (take over, reply, hand back) through the bot's own reply path, the bot
resuming where staff hand it back, and the sweep that flags conversations which went quiet mid-listing or wait for
a listing review."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable, Iterable

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

import flows
from bot import conversation_ops as ops
from bot import conversations as store
from bot import flags
from bot.effects import review_detail
from bot.outbox import queue_reply
from db.models import Artisan, Conversation, Event, Flag, Listing, Message
from flows import types as t

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.handoff")

# What a change returns: replies to send, each a Reply (sent as `author`) or (Reply, author, extra).
Change = Callable[[Session, Conversation, Artisan, datetime], Iterable]


def act(services: Services, conversation_id: int, change: Change, *, author: str = "staff",
        staff_id: int | None = None) -> list[int]:
    """Under the conversation's lock and in one transaction, run `change`, queue the replies it returns as
    pending outbound messages, then send them through the Outbox; returns the outbound message ids."""
    with services.lock.hold(conversation_id):
        now = services.clock()
        with services.db.session() as session:
            conv = _conversation(session, conversation_id)
            artisan = session.get(Artisan, conv.artisan_id)
            to, via = artisan.address, conv.via  # as they were before the change
            ids = _queue_all(session, conv, to, via, change(session, conv, artisan, now), now, author=author,
                             staff_id=staff_id)
        services.sending.flush(conversation_id)
    if via == "simulator" and ids:
        # The simulator's recorder keeps only replies to a pending request; the page shows these from the transcript.
        services.simulator_outbox.take({None})
    services.events.publish("conversation", {"conversation_id": conversation_id})
    return ids


def _conversation(session: Session, conversation_id: int) -> Conversation:
    """The conversation; LookupError when there is none."""
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        raise LookupError(f"no conversation {conversation_id}")
    return conv


def _queue_all(session: Session, conv: Conversation, to: str, via: str, items: Iterable | None, now: datetime, *,
               author: str, staff_id: int | None) -> list[int]:
    """The replies a change returned, queued in order as pending messages; their ids."""
    rows = [_queue(session, conv, to, via, item, now, author=author, staff_id=staff_id) for item in items or ()]
    session.flush()
    return [row.id for row in rows]


def _queue(session: Session, conv: Conversation, to: str, via: str, item, now: datetime, *, author: str,
           staff_id: int | None) -> Message:
    """One reply a change returned, as a pending message: a Reply sent as `author`, or (Reply, author, extra)."""
    reply, who, extra = (item, author, None) if isinstance(item, t.Reply) else item
    row = queue_reply(session, conv, to, via, reply, now, in_reply_to=None, author=who,
                      staff_id=staff_id if who == "staff" else None)
    _add_extra(row, extra)
    return row


def _add_extra(row: Message, extra: dict | None) -> None:
    """A reply's extras: its "media" replace the message's, the rest join the message's own."""
    rest = dict(extra or {})
    media = rest.pop("media", None)
    row.extra = {**row.extra, **rest}
    if media:
        row.media = media


def resume(services: Services, session: Session, conv: Conversation, artisan: Artisan, step: str,
           now: datetime) -> list[t.Reply] | None:
    """Put the bot back at `step` (or its menu): the engine's state and what that changes are saved, and the
    question the bot asks there is returned. None when the conversation has no state to resume (nothing yet)."""
    state = store.load_state(conv)
    if state is None:
        return None
    result = flows.hand_back(state, step, now)
    store.save_state(conv, result.state)
    services.effects.apply(session, conv, artisan, result.effects, now)
    return list(result.replies)


def sweep(db, clock: Callable[[], datetime], *, stuck_after: timedelta,
          publish: Callable[[str, dict], None] | None = None) -> int:
    """Flag conversations the bot cannot move on alone; returns how many were flagged.

    - `no_reply`: mid-listing, the bot asked and the artisan has said nothing for `stuck_after`;
    - `review`: a listing waiting for staff review that no flag covers yet (the artisan's submission flags its
      listing at once, bot/effects.py; this catches one put in review another way), waiting since it got there.
    """
    now = clock()
    with db.session() as session:
        flagged = _flag_quiet(session, now, stuck_after) + _flag_waiting_for_review(session, now)
    if flagged and publish:
        publish("queue", {"flagged": flagged})
    return flagged


def _flag_quiet(session: Session, now: datetime, stuck_after: timedelta) -> int:
    """Flag `no_reply` the listings the artisan went quiet in after the bot asked; how many were flagged."""
    quiet = select(Conversation).join(Artisan, Artisan.id == Conversation.artisan_id).where(
        ~flags.needs_a_person(), Conversation.mode == "bot", Conversation.flow == "listing",
        Conversation.last_inbound_at < now - stuck_after, Conversation.last_outbound_at.is_not(None),
        Conversation.last_outbound_at >= Conversation.last_inbound_at,
        Artisan.opted_out_at.is_(None), Artisan.deleted_at.is_(None))
    flagged = 0
    for conv in session.scalars(quiet.limit(500)):
        ops.flag(session, conv, "no_reply", f"{conv.flow}.{conv.step}: silent since {conv.last_inbound_at:%H:%M}",
                 now=now, actor="system")
        flagged += 1
    return flagged


def _flag_waiting_for_review(session: Session, now: datetime) -> int:
    """Flag `review` each listing waiting for review without an open flag (one that reached review some other way
    than the artisan's submission, which flags it at once), waiting since it entered review; how many."""
    unflagged = ~exists().where(Flag.listing_id == Listing.id, Flag.reason == flags.REVIEW, Flag.closed_at.is_(None))
    waiting = select(Listing, Conversation).join(Conversation, Conversation.artisan_id == Listing.artisan_id).where(
        Listing.status == "review", unflagged).order_by(Listing.id)
    found = session.execute(waiting.limit(500)).all()
    for listing, conv in found:
        ops.flag(session, conv, "review", review_detail(listing), now=now, actor="system", listing_id=listing.id,
                 since=_entered_review(session, listing))
    return len(found)


def _entered_review(session: Session, listing: Listing) -> datetime:
    """When the listing last moved to review (its audit event), else when it was made."""
    return session.scalar(select(func.max(Event.at)).where(Event.listing_id == listing.id,
                                                           Event.kind == "listing.review")) or listing.created_at
