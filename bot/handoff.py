"""Staff acting on a conversation (take over, reply, hand back) through the bot's own reply path, the bot
resuming where staff hand it back, and the sweep that flags conversations which went quiet mid-listing or wait for
a listing review."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable, Iterable

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

import flows
from bot import conversation_ops as ops
from bot import conversations as store
from bot.outbox import queue_reply
from db.models import Artisan, Conversation, Listing
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
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                raise LookupError(f"no conversation {conversation_id}")
            artisan = session.get(Artisan, conv.artisan_id)
            rows = []
            to, via = artisan.address, conv.via
            for item in change(session, conv, artisan, now) or ():
                reply, who, extra = (item, author, None) if isinstance(item, t.Reply) else item
                row = queue_reply(session, conv, to, via, reply, now, in_reply_to=None, author=who,
                                  staff_id=staff_id if who == "staff" else None)
                if extra:
                    row.extra = {**row.extra, **{k: v for k, v in extra.items() if k != "media"}}
                    if extra.get("media"):
                        row.media = extra["media"]
                rows.append(row)
            session.flush()
            ids = [row.id for row in rows]
        services.sending.flush(conversation_id)
    if via == "simulator" and ids:
        # The simulator's recorder keeps only replies to a pending request; the page shows these from the transcript.
        services.simulator_outbox.take({None})
    services.events.publish("conversation", {"conversation_id": conversation_id})
    return ids


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
    - `review`: the artisan has a listing waiting for staff review.
    """
    now = clock()
    flagged = 0
    with db.session() as session:
        quiet = select(Conversation).join(Artisan, Artisan.id == Conversation.artisan_id).where(
            Conversation.flagged_at.is_(None), Conversation.mode == "bot", Conversation.flow == "listing",
            Conversation.last_inbound_at < now - stuck_after, Conversation.last_outbound_at.is_not(None),
            Conversation.last_outbound_at >= Conversation.last_inbound_at,
            Artisan.opted_out_at.is_(None), Artisan.deleted_at.is_(None))
        for conv in session.scalars(quiet.limit(500)):
            ops.flag(session, conv, "no_reply", f"{conv.flow}.{conv.step}: silent since {conv.last_inbound_at:%H:%M}",
                     now=now, actor="system")
            flagged += 1
        waiting = select(Conversation).where(
            Conversation.flagged_at.is_(None),
            exists().where(and_(Listing.artisan_id == Conversation.artisan_id, Listing.status == "review")))
        for conv in session.scalars(waiting.limit(500)):
            ids = session.scalars(select(Listing.id).where(Listing.artisan_id == conv.artisan_id,
                                                           Listing.status == "review")).all()
            ops.flag(session, conv, "review", "listing " + ", ".join(str(i) for i in ids), now=now, actor="system")
            flagged += 1
    if flagged and publish:
        publish("queue", {"flagged": flagged})
    return flagged
