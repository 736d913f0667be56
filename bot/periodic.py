"""Periodic work run by `rq cron` (deploy/cron.py): reminders for half-done listings and expired upload links."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import String, cast, delete, func, or_, select

import flows
from bot import conversations as store
from bot import flags, spool_drain
from bot.filetypes import RAW
from bot.handoff import act
from bot.media import message_keys, photo_keys
from db import audit
from db.models import Artisan, Conversation, Message, Photo, UploadLink

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("hunar.periodic")

# Free-form WhatsApp messages are allowed for 24 hours after the artisan's last message; stay well inside it.
WINDOW = timedelta(hours=23)
KEEP_USED_LINKS = timedelta(days=1)
_HAS_MEDIA = func.length(cast(Message.media, String)) > 2  # more than "[]"


def send_reminders(services: Services, *, limit: int = 200) -> int:
    """Nudge artisans who left a listing half-done, once, while the 24-hour window is still open."""
    now = services.clock()
    with services.db.session() as session:
        candidates = list(session.scalars(
            select(Conversation.id).join(Artisan, Artisan.id == Conversation.artisan_id).where(
                Conversation.mode == "bot", Conversation.flow == "listing", ~flags.needs_a_person(),
                Conversation.last_inbound_at > now - WINDOW, Artisan.opted_out_at.is_(None),
                Artisan.deleted_at.is_(None)).order_by(Conversation.last_inbound_at).limit(limit)))
    sent = 0
    for conversation_id in candidates:
        if act(services, conversation_id, _nudge, author="bot"):
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


def stalled(services: Services, *, older_than: timedelta) -> tuple[set[int], set[int]]:
    """Conversations whose messages (first set) or only replies (second) a crashed worker left half-done.

    A message is recorded before its job is queued; if the worker dies mid-job, or Redis loses the queue,
    the message still waits in the database as "received" (or a reply as "pending"). This finds them.
    """
    cutoff = services.clock() - older_than
    with services.db.session() as session:
        unhandled = set(session.scalars(select(Message.conversation_id).where(
            Message.direction == "in", Message.status == "received", Message.created_at < cutoff).distinct()))
        unsent = set(session.scalars(select(Message.conversation_id).where(
            Message.direction == "out", Message.status.in_(("pending", "sending")),  # "sending": see bot/send_once.py
            Message.created_at < cutoff).distinct()))
    return unhandled, unsent - unhandled


def drain_spool(services: Services) -> int:
    """Messages the webhook kept on disk during an outage, recorded and queued once the stores answer."""
    return spool_drain.drain_quietly(services)


def expire_raw_media(services: Services) -> int:
    """Delete voice notes and documents older than HUNAR_RAW_MEDIA_RETENTION_DAYS (photos live with listings)."""
    cutoff = services.clock() - timedelta(days=float(services.settings["RAW_MEDIA_RETENTION_DAYS"]))
    expired = 0
    with services.db.session() as session:
        # A week's slack behind the cutoff: the job runs daily, and older messages were expired already.
        rows = session.scalars(select(Message).where(
            Message.direction == "in", Message.created_at < cutoff, Message.created_at > cutoff - timedelta(days=7),
            _HAS_MEDIA)).all()
        for row in rows:
            expired += _expire(services.media_store, row)
    return expired


def _expire(media_store, row: Message) -> int:
    """Delete the files a message's media were kept as, and mark those items expired; how many were deleted."""
    keys = _kept_keys(row.media)
    for key in keys:
        media_store.delete(key)
    if keys:
        row.media = [_expired(item) for item in row.media]
    return len(keys)


def _kept_keys(media: list[dict] | None) -> list[str]:
    """The keys of the files a message's media were kept as (not their staged bytes)."""
    return [item["key"] for item in media or [] if item.get("key")]


def _expired(item: dict) -> dict:
    """A media item without its stored file: no key, and marked expired if it had one."""
    rest = dict(item)
    if rest.pop("key", None):
        rest["expired"] = True
    return rest


UNANSWERED_CONSENT = timedelta(days=7)


def forget_unanswered_consent(services: Services) -> int:
    """First contacts that never answered the consent question are erased after a week, as a refusal would be:
    what they sent was kept only to be used once they agreed."""
    now = services.clock()
    eraser = services.effects.eraser
    forgotten = 0
    with services.db.session() as session:
        rows = session.execute(select(Conversation, Artisan).join(Artisan, Artisan.id == Conversation.artisan_id)
                               .where(Artisan.consent_at.is_(None), Artisan.deleted_at.is_(None),
                                      Conversation.last_inbound_at < now - UNANSWERED_CONSENT).limit(500)).all()
        for conv, artisan in rows:
            eraser.erase(session, conv, artisan, now, kind="consent.unanswered", actor="system")
            forgotten += 1
    return forgotten


ORPHAN_GRACE = timedelta(days=1)  # a file being written, or whose row is not committed yet, is never swept


def sweep_media(services: Services) -> int:
    """Delete stored files that nothing refers to, found by walking the store itself (not through message rows):
    what an erasure, a crash or a bug left behind; kept voice notes and documents also go after the retention
    period, whatever their rows say. Returns the number of files deleted."""
    now = services.clock().timestamp()
    retention = float(services.settings["RAW_MEDIA_RETENTION_DAYS"]) * 86400
    with services.db.session() as session:
        referenced = _referenced_keys(session)
    deleted = 0
    for key, modified in services.media_store.walk():
        if _unwanted(key, now - modified, referenced, retention):
            services.media_store.delete(key)
            deleted += 1
    if deleted:
        log.info("swept %d stored files nothing refers to", deleted)
    return deleted


def _unwanted(key: str, age: float, referenced: set[str], retention: float) -> bool:
    """Nothing refers to the file (and it is past the grace), or it is a kept raw file past the retention period."""
    orphan = key not in referenced and age > ORPHAN_GRACE.total_seconds()
    return orphan or (key.startswith(RAW) and age > retention)


def _referenced_keys(session) -> set[str]:
    """Every media key a row still points at: photo derivatives, kept and staged media, staff photos."""
    keys: set[str] = set()
    for files in session.scalars(select(Photo.files)):
        keys.update(photo_keys(files))
    for media in session.scalars(select(Message.media).where(_HAS_MEDIA)):
        keys |= message_keys(media)
    return keys


def cleanup_upload_links(services: Services) -> int:
    """Delete upload links that expired, or were used more than a day ago."""
    now = services.clock()
    with services.db.session() as session:
        result = session.execute(delete(UploadLink).where(or_(
            UploadLink.expires_at < now, UploadLink.used_at < now - KEEP_USED_LINKS)))
        return result.rowcount or 0
