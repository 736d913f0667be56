"""Periodic work run by `rq cron` (deploy/cron.py): reminders for half-done listings and expired upload links."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import String, cast, delete, func, or_, select

import flows
from bot import conversations as store
from bot.handoff import act
from db import audit
from db.models import Artisan, Conversation, Message, UploadLink

log = logging.getLogger("hunar.periodic")

# Free-form WhatsApp messages are allowed for 24 hours after the artisan's last message; stay well inside it.
WINDOW = timedelta(hours=23)
KEEP_USED_LINKS = timedelta(days=1)


def send_reminders(services, *, limit: int = 200) -> int:
    """Nudge artisans who left a listing half-done, once, while the 24-hour window is still open."""
    now = services.clock()
    with services.db.session() as session:
        candidates = list(session.scalars(
            select(Conversation.id).join(Artisan, Artisan.id == Conversation.artisan_id).where(
                Conversation.mode == "bot", Conversation.flow == "listing", Conversation.flagged_at.is_(None),
                Conversation.last_inbound_at > now - WINDOW, Artisan.opted_out_at.is_(None),
                Artisan.deleted_at.is_(None)).order_by(Conversation.last_inbound_at).limit(limit)))
    sent = 0
    for conversation_id in candidates:
        if act(services.dispatcher, conversation_id, _nudge, author="bot"):
            sent += 1
    if sent:
        log.info("sent %d reminders", sent)
    return sent


def _nudge(session, conv: Conversation, artisan: Artisan, now: datetime):
    """The engine decides whether there is anything to say (and remembers that it said it)."""
    state = store.load_state(conv)
    result = flows.nudge(state, now) if state else None
    if result is None:
        return []
    store.save_state(conv, result.state)
    audit.record(session, "conversation.reminded", at=now, artisan_id=artisan.id, conversation_id=conv.id,
                 step=conv.step)
    return result.replies


def recover_stalled(services, *, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Queue again the conversations whose messages or replies a crashed worker left half-done.

    A message is recorded before its job is queued; if the worker dies mid-job, or Redis loses the queue,
    the message still waits in the database as "received" (or a reply as "pending"). This finds them.
    """
    cutoff = services.clock() - older_than
    with services.db.session() as session:
        unhandled = set(session.scalars(select(Message.conversation_id).where(
            Message.direction == "in", Message.status == "received", Message.created_at < cutoff).distinct()))
        unsent = set(session.scalars(select(Message.conversation_id).where(
            Message.direction == "out", Message.status == "pending", Message.created_at < cutoff).distinct()))
    for conversation_id in sorted(unhandled):
        services.jobs.enqueue("process_conversation", conversation_id)  # it sends what it finds pending too
    for conversation_id in sorted(unsent - unhandled):
        services.jobs.enqueue("flush_conversation", conversation_id)
    stalled = unhandled | unsent
    if stalled:
        log.warning("re-queued %d stalled conversations", len(stalled))
    return len(stalled)


def expire_raw_media(services) -> int:
    """Delete voice notes and documents older than HUNAR_RAW_MEDIA_RETENTION_DAYS (photos live with listings)."""
    cutoff = services.clock() - timedelta(days=float(services.settings["RAW_MEDIA_RETENTION_DAYS"]))
    expired = 0
    with services.db.session() as session:
        # A week's slack behind the cutoff: the job runs daily, and older messages were expired already.
        rows = session.scalars(select(Message).where(
            Message.direction == "in", Message.created_at < cutoff, Message.created_at > cutoff - timedelta(days=7),
            func.length(cast(Message.media, String)) > 2)).all()
        for row in rows:
            kept = [item for item in row.media or [] if item.get("key")]
            if not kept:
                continue
            for item in kept:
                services.media_store.delete(item["key"])
            row.media = [{k: v for k, v in item.items() if k != "key"} | ({"expired": True} if item.get("key") else {})
                         for item in row.media]
            expired += len(kept)
    return expired


def cleanup_upload_links(services) -> int:
    """Delete upload links that expired, or were used more than a day ago."""
    now = services.clock()
    with services.db.session() as session:
        result = session.execute(delete(UploadLink).where(or_(
            UploadLink.expires_at < now, UploadLink.used_at < now - KEEP_USED_LINKS)))
        return result.rowcount or 0
