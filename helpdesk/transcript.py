"""A conversation as the helpdesk shows it: transcript items, the draft's fields, listings, notes and audit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Event, Listing, Message, Note, Photo, StaffUser
from helpdesk import media as staff_media
from helpdesk.photo_words import not_kept_words, verdict_words
from helpdesk.web import media_url
from marketplace.gallery import PASSED

LENGTH = 300  # newest messages shown
TICKS = {"pending": ("🕓", "waiting to send"), "queued": ("✓", "queued"), "sent": ("✓", "sent"),
         "sending": ("🕓", "sending: checked with Twilio before it goes again"),
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
    checked: list[tuple[str | None, str, bool]] = field(default_factory=list)  # artisan's photos: thumb, verdict, ok
    audio: list[str] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # types of files that were not kept
    location: tuple[float, float] | None = None
    buttons: list[str] = field(default_factory=list)
    template: bool = False
    error: str | None = None


WHO = {"artisan": "Artisan", "bot": "Bot"}  # anyone else is a staff member, shown by name


def items(session: Session, conversation_id: int) -> list[Item]:
    """The newest messages, oldest first, with thumbnails, playable voice notes, locations and delivery ticks."""
    messages = list(session.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.id.desc()).limit(LENGTH)))[::-1]
    photos = _photos(session, [m.id for m in messages])
    names = dict(session.execute(select(StaffUser.id, StaffUser.name)).all())
    return [_item(m, photos.get(m.id, {}), names) for m in messages]


def _photos(session: Session, message_ids: list[int]) -> dict[int, dict[int, Photo]]:
    """The stored photos each message brought, by message id, then photo id."""
    found: dict[int, dict[int, Photo]] = {}
    if message_ids:
        for photo in session.scalars(select(Photo).where(Photo.message_id.in_(message_ids)).order_by(Photo.id)):
            found.setdefault(photo.message_id, {})[photo.id] = photo
    return found


def _checked(m: Message, photos: dict[int, Photo]) -> list[tuple[str | None, str, bool]]:
    """Each photo the message brought, in the order sent: its thumbnail (None when nothing is stored any more, as
    for a photo too big to keep or one dropped as unusable) and the check's verdict in words."""
    out, seen = [], set()
    for media in m.media or []:
        info = media.get("photo") or {}
        if info.get("id") in photos:
            out.append(_stored(photos[info["id"]]))
            seen.add(info["id"])
        elif info:
            out.append((None, not_kept_words(info.get("verdict"), info.get("reason")), False))
    return out + [_stored(photo) for photo_id, photo in photos.items() if photo_id not in seen]


def _stored(photo: Photo) -> tuple[str | None, str, bool]:
    key = thumb_key(photo.files)
    if not key:
        return None, not_kept_words(photo.verdict, photo.reason), False
    return media_url(key), verdict_words(photo.verdict, photo.reason), photo.verdict in PASSED


def thumb_key(files: dict | None) -> str | None:
    """A stored photo's thumbnail (its main file for a photo kept before thumbnails were made)."""
    files = files or {}
    return (files.get("thumb") or files.get("main") or {}).get("key")


def _item(m: Message, photos: dict[int, Photo], names: dict[int, str]) -> Item:
    extra = m.extra or {}
    item = Item(id=m.id, direction=m.direction, author=m.author, text=m.body or "", at=m.created_at,
                status=m.status, tick=TICKS.get(m.status) if m.direction == "out" else None,
                who=WHO.get(m.author) or names.get(m.staff_id, "Staff"), checked=_checked(m, photos),
                template=bool(extra.get("template")), buttons=[b.get("title", "") for b in extra.get("buttons", [])],
                location=_location(extra.get("location")), error=m.error_code)
    for media in m.media or []:
        _attach(item, media)
    return item


def _location(loc) -> tuple[float, float] | None:
    return (float(loc[0]), float(loc[1])) if loc else None


def _attach(item: Item, media: dict) -> None:
    """One file of a message, where the page shows it; a file that was not kept shows as its type."""
    if media.get("refused"):
        item.refused.append(media["refused"])
    elif media.get("key"):
        _attach_kept(item, media["key"], media.get("content_type") or "")


def _attach_kept(item: Item, key: str, content_type: str) -> None:
    """A photo an artisan sent shows as its thumbnail with its verdict (see `_checked`); one staff sent, re-encoded by us and
    public for Twilio, as itself; voice notes play; anything else is a download."""
    kind = content_type.split("/")[0]
    if kind == "audio":
        item.audio.append(staff_media.url(key))
    elif kind != "image":
        item.files.append((staff_media.url(key), content_type or "file"))
    elif item.direction == "out":
        item.photos.append(media_url(key))


def show(value) -> str:
    """A slot value in words: Hindi (English), lists joined, sizes and prices spelled out."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return _show_dict(value)
    return str(value)


def _show_dict(value: dict) -> str:
    for key, shown in _SHOWN_BY:
        if key in value:
            return shown(value)
    return ", ".join(f"{k}: {show(v)}" for k, v in value.items())


def _show_price(value: dict) -> str:
    return f"₹{value['amount']:g} / {value.get('per') or 'piece'}"


def _show_size(value: dict) -> str:
    dims = " × ".join(f"{value[k]:g}" for k in ("length", "width", "height") if value.get(k) is not None)
    return f"{dims} {value.get('unit') or ''}".strip()


def _show_shoe_size(value: dict) -> str:
    """A shoe size as the summary says it: "UK 7, 8", or "7 (shoe size)" when no system was named."""
    sizes = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value["values"])
    return f"{value['system']} {sizes}" if value.get("system") else f"{sizes} (shoe size)"


def _show_name(value: dict) -> str:
    """A lexicon value as "Hindi (English)", or the one name it has."""
    hi, en = value.get("hi"), value.get("en")
    if hi and en and hi != en:
        return f"{hi} ({en})"
    return str(hi or en)


# What a dict holding this key is, in the order `show` checks them.
_SHOWN_BY = (("amount", _show_price), ("length", _show_size), ("values", _show_shoe_size), ("hi", _show_name), ("en", _show_name))


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
