"""A conversation as the helpdesk shows it: transcript items, the draft's fields, listings, notes and audit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Event, Listing, Message, Note, Photo, StaffUser
from helpdesk import media as staff_media
from helpdesk.web import media_url

LENGTH = 300  # newest messages shown
TICKS = {"pending": ("🕓", "waiting to send"), "queued": ("✓", "queued"), "sent": ("✓", "sent"),
         "delivered": ("✓✓", "delivered"), "read": ("✓✓", "read"), "failed": ("⚠", "failed"),
         "undelivered": ("⚠", "not delivered"), "skipped": ("⊘", "not sent: opted out")}


@dataclass
class Item:
    id: int
    direction: str
    author: str
    who: str
    text: str
    at: datetime
    status: str
    tick: tuple[str, str] | None
    photos: list[str] = field(default_factory=list)
    audio: list[str] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # types of files that were not kept
    location: tuple[float, float] | None = None
    buttons: list[str] = field(default_factory=list)
    template: bool = False
    error: str | None = None


def items(session: Session, conversation_id: int) -> list[Item]:
    """The newest messages, oldest first, with thumbnails, playable voice notes, locations and delivery ticks."""
    messages = list(session.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id.desc()).limit(LENGTH)))[::-1]
    thumbs: dict[int, list[str]] = {}
    if messages:
        for photo in session.scalars(select(Photo).where(Photo.message_id.in_([m.id for m in messages]))
                                     .order_by(Photo.id)):
            files = photo.files or {}
            chosen = files.get("thumb") or files.get("main")
            if chosen and chosen.get("key"):
                thumbs.setdefault(photo.message_id, []).append(media_url(chosen["key"]))
    names = dict(session.execute(select(StaffUser.id, StaffUser.name)).all())
    out = []
    for m in messages:
        extra = m.extra or {}
        item = Item(id=m.id, direction=m.direction, author=m.author, text=m.body or "", at=m.created_at,
                    status=m.status, tick=TICKS.get(m.status) if m.direction == "out" else None,
                    who={"artisan": "Artisan", "bot": "Bot"}.get(m.author) or names.get(m.staff_id, "Staff"),
                    photos=list(thumbs.get(m.id, [])), template=bool(extra.get("template")),
                    buttons=[b.get("title", "") for b in extra.get("buttons", [])], error=m.error_code)
        loc = extra.get("location")
        if loc:
            item.location = (float(loc[0]), float(loc[1]))
        for media in m.media or []:
            kind = (media.get("content_type") or "").split("/")[0]
            key = media.get("key")
            if media.get("refused"):
                item.refused.append(media["refused"])
            elif not key:
                continue
            elif kind == "image" and m.direction == "out":
                item.photos.append(media_url(key))  # a photo staff sent: re-encoded by us, public for Twilio
            elif kind == "audio":
                item.audio.append(staff_media.url(key))
            elif kind != "image":
                item.files.append((staff_media.url(key), media.get("content_type") or "file"))
        out.append(item)
    return out


def show(value) -> str:
    """A slot value in words: Hindi (English), lists joined, sizes and prices spelled out."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        if "amount" in value:
            return f"₹{value['amount']:g} / {value.get('per') or 'piece'}"
        if "length" in value:
            dims = " × ".join(f"{value[k]:g}" for k in ("length", "width", "height") if value.get(k) is not None)
            return f"{dims} {value.get('unit') or ''}".strip()
        if "hi" in value or "en" in value:
            hi, en = value.get("hi"), value.get("en")
            return f"{hi} ({en})" if hi and en and hi != en else str(hi or en)
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items())
    return str(value)


def listings(session: Session, artisan_id: int) -> list[Listing]:
    return list(session.scalars(select(Listing).where(Listing.artisan_id == artisan_id).order_by(Listing.id.desc())))


def notes(session: Session, conversation_id: int) -> list[tuple[Note, str]]:
    rows = session.execute(select(Note, StaffUser.name).outerjoin(StaffUser, StaffUser.id == Note.staff_id)
                           .where(Note.conversation_id == conversation_id).order_by(Note.id))
    return [(note, name or "former staff") for note, name in rows]


def audit_trail(session: Session, conversation_id: int, artisan_id: int, limit: int = 100) -> list[tuple[Event, str]]:
    """Who did what, newest first: the conversation's events and its artisan's listings'."""
    names = {f"staff:{i}": n for i, n in session.execute(select(StaffUser.id, StaffUser.name)).all()}
    events = session.scalars(select(Event).where(or_(Event.conversation_id == conversation_id,
                                                     Event.artisan_id == artisan_id))
                             .order_by(Event.at.desc(), Event.id.desc()).limit(limit))
    return [(e, names.get(e.actor, e.actor)) for e in events]
