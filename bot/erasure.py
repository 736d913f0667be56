"""Erasure: everything of one artisan goes (files, texts, notes, audit values); only the record that it happened stays.

Used when an artisan asks (मेरा डेटा हटाओ, then हाँ) and when a first contact refuses consent. It runs in the
turn's transaction; files are deleted (and Twilio's copies released) only after that transaction commits.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Callable

from sqlalchemy import String, cast, delete, select, update
from sqlalchemy.orm import Session

from db import after_commit, audit
from db.models import Artisan, ConsentRefusal, Conversation, Event, Listing, Message, Note, Photo, UploadLink
from marketplace import listings

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
        files = self._files(session, conv, artisan)
        for listing in session.scalars(select(Listing).where(Listing.artisan_id == artisan.id)):
            if listing.status != "withdrawn":
                listings.move(session, listing, "withdrawn", now=now, actor=actor)
            # The builder's texts name the artisan and their district; channel ids stay, to withdraw remotely.
            listing.fields, listing.title, listing.description, listing.reject_reason = {}, {}, {}, None
        for photo in session.scalars(select(Photo).where(Photo.artisan_id == artisan.id)):
            session.delete(photo)
        session.execute(update(Message).where(Message.conversation_id == conv.id, Message.direction == "out",
                                              Message.status == "pending")
                        .values(status="skipped", error_code="erased"))
        session.execute(update(Message).where(Message.conversation_id == conv.id).values(body="", media=[], extra={}))
        session.execute(delete(Note).where(Note.conversation_id == conv.id))
        session.execute(delete(UploadLink).where(UploadLink.conversation_id == conv.id))
        self._redact_events(session, artisan.id, conv.id, listing_ids)
        for key in PROFILE:
            setattr(artisan, key, None)
        # Replies written in this turn are addressed already; the sender forgets their "to" once they are sent.
        artisan.address = f"deleted:{artisan.id}"
        artisan.deleted_at = now
        conv.slots, conv.context, conv.flow, conv.step, conv.flag_detail = {}, {}, None, None, None
        self._after_commit(session, files)
        audit.record(session, kind, actor=actor, at=now, artisan_id=artisan.id, conversation_id=conv.id)

    def record_refusal(self, session: Session, number: str, version: str, now: datetime) -> None:
        """The one row a refusal leaves: the number as an HMAC, the consent text's version, the time."""
        digest = hmac.new(self.secret, number.encode(), hashlib.sha256).hexdigest()
        session.add(ConsentRefusal(number_hmac=digest, consent_version=version, at=now))

    def _files(self, session: Session, conv: Conversation, artisan: Artisan) -> dict:
        """Every file the artisan sent that we hold (kept, staged, derived) and every copy Twilio still holds."""
        keys, urls = set(), set()
        for media in session.scalars(select(Message.media).where(Message.conversation_id == conv.id)):
            for item in media or []:
                keys.update(item[k] for k in ("key", "staged") if item.get(k))
                if item.get("url") and item.get("held"):  # never fetched: Twilio still holds it
                    urls.add(item["url"])
        for photo in session.scalars(select(Photo).where(Photo.artisan_id == artisan.id)):
            if session.scalar(select(Photo.id).where(Photo.sha256 == photo.sha256, Photo.artisan_id != artisan.id)
                              .limit(1)) is None:  # the same picture sent by someone else stays theirs
                keys.update(item["key"] for item in (photo.files or {}).values()
                            if isinstance(item, dict) and item.get("key"))
        shared = {key for key in keys if key.startswith(("private/", "media/")) and session.scalar(
            select(Message.id).where(Message.conversation_id != conv.id,
                                     cast(Message.media, String).contains(key)).limit(1)) is not None}
        return {"keys": keys - shared, "urls": urls}

    def _after_commit(self, session: Session, files: dict) -> None:
        if self.media_store is not None:
            for key in sorted(files["keys"]):
                after_commit(session, lambda key=key: self.media_store.delete(key))
        if self.release is not None:
            for url in sorted(files["urls"]):
                after_commit(session, lambda url=url: self.release(url))

    @staticmethod
    def _redact_events(session: Session, artisan_id: int, conversation_id: int, listing_ids: list[int]) -> None:
        """Audit values about the artisan (a name before and after an edit, a flag's detail) become "[erased]";
        which kind of event happened, by whom and when stays, and so do plain numbers (ids, counts)."""
        about = (Event.artisan_id == artisan_id) | (Event.conversation_id == conversation_id)
        if listing_ids:
            about = about | Event.listing_id.in_(listing_ids)
        for event in session.scalars(select(Event).where(about)):
            data = event.data or {}
            kept = {key: value if isinstance(value, (int, float, bool)) or value is None else REDACTED
                    for key, value in data.items()}
            if kept != data:
                event.data = kept
