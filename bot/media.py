"""Media intake: keep what an artisan sent, check photos, and tell the engine what arrived."""
from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from typing import Callable, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.filetypes import PRIVATE, kept_extension, kind_of, sniff_type
from db import after_commit
from db.models import Message, Photo
from flows import types as t

log = logging.getLogger("hunar.media")

STAGING = "incoming/"  # raw bytes waiting for their job; deleted once processed


def item_keys(item: dict) -> list[str]:
    """The media store keys one media item of a message points at: its kept file and its staged bytes."""
    return [item[name] for name in ("key", "staged") if item.get(name)]


def message_keys(media: list[dict] | None) -> set[str]:
    """Every media store key a message's media points at."""
    return {key for item in media or [] for key in item_keys(item)}


def photo_keys(files: dict | None) -> list[str]:
    """The media store keys of a photo's files (its derivatives), in their order."""
    return [item["key"] for item in (files or {}).values() if isinstance(item, dict) and item.get("key")]


class FetchError(RuntimeError):
    """Media could not be downloaded; `retry` says whether trying again could help."""

    def __init__(self, message: str, *, retry: bool = True, too_large: bool = False):
        super().__init__(message)
        self.retry = retry
        self.too_large = too_large  # over the size limit: the artisan is told so, not that it did not arrive


class MediaFetcher(Protocol):
    """Downloads an attachment by URL (Twilio's media, in production)."""

    def fetch(self, url: str, *, max_bytes: int) -> tuple[bytes, str]: ...


class NoFetcher:
    """Used when no media host is configured: every URL fails clearly."""

    def fetch(self, url: str, *, max_bytes: int) -> tuple[bytes, str]:
        raise FetchError("no media fetcher is configured", retry=False)


@dataclass
class Intake:
    """What a batch of messages brought: checked photos, other media, and failures."""

    photos: list[t.Photo] = field(default_factory=list)
    media_kinds: list[str] = field(default_factory=list)
    media_ids: list[int] = field(default_factory=list)
    failed: int = 0
    refused: int = 0  # files of a type Hunar never keeps (a page, a script, a video): answered, not stored
    staged_keys: list[str] = field(default_factory=list)

    def add(self, other: "Intake") -> None:
        """What another message of the batch brought, added to this."""
        self.photos += other.photos
        self.media_kinds += other.media_kinds
        self.media_ids += other.media_ids
        self.failed += other.failed
        self.refused += other.refused
        self.staged_keys += other.staged_keys


class MediaIntake:
    """Stages uploaded bytes, fetches remote media, runs the photo check, and stores the results."""

    def __init__(self, store, process_photo: Callable, fetcher: MediaFetcher | None = None, *,
                 max_image_bytes: int = 5 * 1024 * 1024, max_other_bytes: int = 16 * 1024 * 1024):
        self.store = store
        self.process_photo = process_photo
        self.fetcher = fetcher or NoFetcher()
        self.max_image_bytes = max_image_bytes
        self.max_other_bytes = max_other_bytes

    def stage(self, data: bytes, content_type: str) -> str:
        """Keep uploaded bytes until the job runs; returns their media store key."""
        # A fresh name per upload: two messages with the same bytes must not share (and delete) one file.
        return self.store.put(f"{STAGING}{uuid.uuid4().hex}", data, content_type)

    def hold(self, message: Message) -> None:
        """Before consent nothing is fetched or stored: the attachments wait (at Twilio, or staged) to be taken
        once the artisan agrees, and are deleted if they refuse (bot.erasure)."""
        if message.media:
            message.media = [dict(item, held=True) for item in message.media]

    def take(self, session: Session, artisan_id: int, message: Message) -> Intake:
        """Process every attachment of one message; failures are counted, never raised."""
        intake = Intake()
        items = [dict(i) for i in message.media or []]
        for item in items:
            item.pop("held", None)
            try:
                data, declared = self._bytes_of(item)
            except FetchError as exc:
                log.warning("media of message %s not fetched: %s", message.id, exc)
                self._not_fetched(session, artisan_id, message, item, exc, intake)
                continue
            self._let_go_of_source(session, item, intake)
            self._keep(session, artisan_id, message, item, data, declared, intake)
        message.media = items  # a new list, so the JSON column sees the stored keys
        return intake

    def _not_fetched(self, session: Session, artisan_id: int, message: Message, item: dict, exc: FetchError,
                     intake: Intake) -> None:
        """A photo over the size limit is a photo the check refused as too large (so the artisan hears why and the
        helpdesk sees it); anything else that did not arrive is counted as failed."""
        if not (exc.too_large and item.get("content_type", "").startswith("image/")):
            intake.failed += 1
            return
        digest = hashlib.sha256(item.get("url", "").encode()).hexdigest()
        found = session.scalar(select(Photo).where(Photo.message_id == message.id, Photo.sha256 == digest))
        if found is None:
            found = Photo(artisan_id=artisan_id, message_id=message.id, sha256=digest, verdict="reject",
                          reason="too_large", quality=0.0, files={})
            session.add(found)
            session.flush()
        item["photo"] = {"id": found.id, "verdict": found.verdict, "reason": found.reason}
        intake.photos.append(t.Photo(id=found.id, verdict=found.verdict, reason=found.reason, quality=0.0))

    def _let_go_of_source(self, session: Session, item: dict, intake: Intake) -> None:
        """Staged bytes are deleted, and the sender's copy released, once ours is kept (after the commit)."""
        if item.get("staged"):
            intake.staged_keys.append(item["staged"])
        elif item.get("url") and hasattr(self.fetcher, "release"):
            after_commit(session, lambda url=item["url"]: self.fetcher.release(url))

    def _keep(self, session: Session, artisan_id: int, message: Message, item: dict, data: bytes, declared: str,
              intake: Intake) -> None:
        """A picture becomes a checked photo; an allowed other file is kept privately; anything else is refused."""
        content_type = sniff_type(data, declared)  # what the bytes are, whatever the sender said
        if content_type.startswith("image/") or declared.startswith("image/"):
            # Only checked derivatives are stored; bytes that are not a picture get a retake message.
            photo = self._photo(session, artisan_id, message, data)
            item["photo"] = {"id": photo.id, "verdict": photo.verdict, "reason": photo.reason}  # for the transcript
            intake.photos.append(photo)
        elif kept_extension(content_type):
            item["key"] = self._keep_other(data, content_type)
            item["content_type"] = content_type
            intake.media_kinds.append(kind_of(content_type))
            intake.media_ids.append(message.id)
        else:
            log.info("message %s: a %s file was not kept", message.id, content_type)
            item["refused"] = content_type
            intake.refused += 1

    def _bytes_of(self, item: dict) -> tuple[bytes, str]:
        if item.get("staged"):
            return self.store.get(item["staged"]), item.get("content_type", "application/octet-stream")
        if item.get("url"):
            limit = self.max_image_bytes if item.get("content_type", "").startswith("image/") else self.max_other_bytes
            return self.fetcher.fetch(item["url"], max_bytes=limit)
        raise FetchError("attachment has neither bytes nor a URL", retry=False)

    def _photo(self, session: Session, artisan_id: int, message: Message, data: bytes) -> t.Photo:
        """Check and store one picture; a photo already taken from this message is not taken twice."""
        digest = hashlib.sha256(data).hexdigest()
        photo = session.scalar(select(Photo).where(Photo.message_id == message.id, Photo.sha256 == digest))
        if photo is None:
            photo = self._new_photo(session, artisan_id, message, data, digest)
        return t.Photo(id=photo.id, verdict=photo.verdict, reason=photo.reason, quality=photo.quality)

    def _new_photo(self, session: Session, artisan_id: int, message: Message, data: bytes, digest: str) -> Photo:
        """Run the photo check against the draft's photos and store the verdict and the derivatives."""
        result = self.process_photo(data, store=self.store, existing_hashes=_draft_hashes(session, artisan_id),
                                    max_bytes=self.max_image_bytes)
        derivatives = dict(result.derivatives or {})
        photo = Photo(artisan_id=artisan_id, message_id=message.id, sha256=digest,
                      content_type=derivatives.get("main", {}).get("content_type", "image/jpeg"),
                      verdict=result.verdict, reason=result.reason, quality=float(result.quality or 0),
                      phash=result.phash, width=result.width, height=result.height, files=derivatives)
        session.add(photo)
        session.flush()
        return photo

    def _keep_other(self, data: bytes, content_type: str) -> str:
        """Store an allow-listed voice note or document under a private content-addressed name, for staff only."""
        digest = hashlib.sha256(data).hexdigest()
        name = f"{PRIVATE}{digest[:2]}/{digest}{kept_extension(content_type)}"
        return self.store.put(name, data, content_type)


def _draft_hashes(session: Session, artisan_id: int) -> list[str]:
    """Perceptual hashes of the photos of the artisan's draft that passed the check (to spot the same shot twice)."""
    return [h for h in session.scalars(select(Photo.phash).where(
        Photo.artisan_id == artisan_id, Photo.listing_id.is_(None), Photo.verdict.in_(("ok", "tip")))) if h]
