"""Erasure: everything of one artisan goes (files, texts, notes, audit values); only the record that it happened stays.

Used when an artisan asks (मेरा डेटा हटाओ, then हाँ) and when a first contact refuses consent. It runs in the
turn's transaction; files are deleted (and Twilio's copies released) only after that transaction commits.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
from datetime import datetime
from typing import Callable

from sqlalchemy import String, cast, delete, select, update
from sqlalchemy.orm import Session

from bot import flags
from bot.filetypes import RAW
from bot.media import item_keys, photo_keys
from db import after_commit, audit
from db.models import (Artisan, ConsentRefusal, Conversation, Event, Flag, Listing, Message, Note, Photo,
                       UploadLink)
from marketplace import listings

ERASED = "deleted:"  # an erased artisan's address: the prefix, then its id

PROFILE = ("phone", "wa_id", "bsuid", "profile_name", "name", "district", "craft", "consent_version")
REDACTED = "[erased]"


class Eraser:
    """Erases one artisan; `release` gives a media URL back to Twilio (deleting its copy)."""

    def __init__(self, media_store, release: Callable[[str], None] | None = None, secret: str | bytes = b""):
        self.media_store = media_store
        self.release = release
        self.secret = secret.encode() if isinstance(secret, str) else secret

    def erase(self, session: Session, conv: Conversation, artisan: Artisan, now: datetime, *, kind: str,
              actor: str = "artisan") -> None:
        """Erase the person and what they sent; withdraw their listings; record `kind` (with no data at all)."""
        listing_ids = list(session.scalars(select(Listing.id).where(Listing.artisan_id == artisan.id)))
        files = _files(session, conv, artisan)
        _withdraw_listings(session, artisan, now, actor)
        flags.close(session, conv, now=now, by=actor, reasons=(flags.REVIEW,))  # nothing left to review
        _delete_records(session, conv, artisan)
        _redact_events(session, artisan.id, conv.id, listing_ids)
        _forget(conv, artisan, now)
        self._after_commit(session, files)
        audit.record(session, kind, actor=actor, at=now, artisan_id=artisan.id, conversation_id=conv.id)

    def record_refusal(self, session: Session, number: str, version: str, now: datetime) -> None:
        """The one row a refusal leaves: the number as an HMAC, the consent text's version, the time."""
        digest = hmac.new(self.secret, number.encode(), hashlib.sha256).hexdigest()
        session.add(ConsentRefusal(number_hmac=digest, consent_version=version, at=now))

    def _after_commit(self, session: Session, files: dict) -> None:
        """Once the erasure is committed: delete our copies, and have Twilio delete the ones it still holds."""
        _after_commit_each(session, getattr(self.media_store, "delete", None), files["keys"])
        _after_commit_each(session, self.release, files["urls"])


def _after_commit_each(session: Session, action: Callable[[str], None] | None, values: set[str]) -> None:
    """`action` on each value, in order, after the commit; nothing when there is no one to do it."""
    if action is None:
        return
    for value in sorted(values):
        after_commit(session, functools.partial(action, value))


def _withdraw_listings(session: Session, artisan: Artisan, now: datetime, actor: str) -> None:
    """Every listing of the artisan withdrawn and emptied of their words."""
    for listing in session.scalars(select(Listing).where(Listing.artisan_id == artisan.id)):
        if listing.status != "withdrawn":
            listings.move(session, listing, "withdrawn", now=now, actor=actor)
        # The builder's texts name the artisan and their district; channel ids stay, to withdraw remotely.
        listing.fields, listing.title, listing.description, listing.reject_reason = {}, {}, {}, None


def _delete_records(session: Session, conv: Conversation, artisan: Artisan) -> None:
    """Photos, notes and upload links go; messages stay as empty rows, and unsent replies are not sent."""
    for photo in session.scalars(select(Photo).where(Photo.artisan_id == artisan.id)):
        session.delete(photo)
    session.execute(update(Message).where(Message.conversation_id == conv.id, Message.direction == "out",
                                          Message.status.in_(("pending", "sending")))
                    .values(status="skipped", error_code="erased"))
    session.execute(update(Message).where(Message.conversation_id == conv.id).values(body="", media=[], extra={}))
    session.execute(delete(Note).where(Note.conversation_id == conv.id))
    session.execute(update(Flag).where(Flag.conversation_id == conv.id).values(detail=None))  # may quote them
    session.execute(delete(UploadLink).where(UploadLink.conversation_id == conv.id))


def _forget(conv: Conversation, artisan: Artisan, now: datetime) -> None:
    """The artisan's profile and the conversation's state, gone; the rows stay, marked deleted."""
    for key in PROFILE:
        setattr(artisan, key, None)
    # Replies written in this turn are addressed already; the sender forgets their "to" once they are sent.
    artisan.address = f"{ERASED}{artisan.id}"
    artisan.deleted_at = now
    conv.slots, conv.context, conv.flow, conv.step, conv.flag_detail = {}, {}, None, None, None


# --- the files -------------------------------------------------------------------------------------

def _files(session: Session, conv: Conversation, artisan: Artisan) -> dict:
    """Every file the artisan sent that we hold (kept, staged, derived) and every copy Twilio still holds."""
    items = _media_items(session, conv.id)
    keys = _own_photo_keys(session, artisan.id).union(*map(item_keys, items))
    return {"keys": keys - _shared(session, conv.id, keys), "urls": _held_urls(items)}


def _media_items(session: Session, conversation_id: int) -> list[dict]:
    """The media items of every message of the conversation."""
    rows = session.scalars(select(Message.media).where(Message.conversation_id == conversation_id))
    return [item for media in rows for item in media or []]


def _held_urls(items: list[dict]) -> set[str]:
    """Media never fetched (held before consent): Twilio still holds them."""
    return {item["url"] for item in items if item.get("url") and item.get("held")}


def _own_photo_keys(session: Session, artisan_id: int) -> set[str]:
    """The files of the artisan's photos; the same picture sent by someone else stays theirs."""
    keys: set[str] = set()
    for photo in session.scalars(select(Photo).where(Photo.artisan_id == artisan_id)):
        if not _sent_by_another(session, photo):
            keys.update(photo_keys(photo.files))
    return keys


def _sent_by_another(session: Session, photo: Photo) -> bool:
    """True when another artisan sent the same picture."""
    return session.scalar(select(Photo.id).where(Photo.sha256 == photo.sha256, Photo.artisan_id != photo.artisan_id)
                          .limit(1)) is not None


def _shared(session: Session, conversation_id: int, keys: set[str]) -> set[str]:
    """Kept voice notes and documents another conversation points at too (their names are content hashes)."""
    return {key for key in keys if key.startswith(RAW) and _sent_elsewhere(session, conversation_id, key)}


def _sent_elsewhere(session: Session, conversation_id: int, key: str) -> bool:
    """True when a message of another conversation points at the stored file `key`."""
    return session.scalar(select(Message.id).where(Message.conversation_id != conversation_id,
                                                   cast(Message.media, String).contains(key)).limit(1)) is not None


# --- the audit trail -------------------------------------------------------------------------------

def _redact_events(session: Session, artisan_id: int, conversation_id: int, listing_ids: list[int]) -> None:
    """Audit values about the artisan (a name before and after an edit, a flag's detail) become "[erased]";
    which kind of event happened, by whom and when stays, and so do plain numbers (ids, counts)."""
    for event in session.scalars(select(Event).where(_events_about(artisan_id, conversation_id, listing_ids))):
        data = event.data or {}
        kept = {key: _redacted(value) for key, value in data.items()}
        if kept != data:
            event.data = kept


def _events_about(artisan_id: int, conversation_id: int, listing_ids: list[int]):
    """The condition for events about the artisan, their conversation or their listings."""
    about = (Event.artisan_id == artisan_id) | (Event.conversation_id == conversation_id)
    if listing_ids:
        about = about | Event.listing_id.in_(listing_ids)
    return about


def _redacted(value):
    """A plain number (or nothing) as it was; anything else, which may say something about the artisan, erased."""
    return value if value is None or isinstance(value, (int, float, bool)) else REDACTED
