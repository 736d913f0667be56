"""Carry out what the engine asked for: profile, consent, listings, helpdesk flags, opt-out, deletion."""
from __future__ import annotations

import functools
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import conversation_ops as ops
from bot import profile
from bot import price_notice
from bot.erasure import Eraser
from bot.media import photo_keys
from db import after_commit, audit
from db.models import Artisan, Conversation, Listing, Photo
from flows import types as t
from marketplace import listings

log = logging.getLogger("hunar.effects")


class EffectRunner:
    """Applies effects inside the turn's transaction; media deletions go through the media store."""

    def __init__(self, *, review: bool, media_store=None, eraser: Eraser | None = None, settings: dict | None = None):
        self.review = review
        self.media_store = media_store
        self.eraser = eraser or Eraser(media_store)
        self.settings = settings or {}  # for the price line (bot/price_notice.py)

    def apply(self, session: Session, conv: Conversation, artisan: Artisan, effects: list, now: datetime) -> list[str]:
        """Apply each effect; returns what the bot must add to its reply (the price line of a new listing)."""
        notices = []
        for effect in effects:
            handler = getattr(self, "_" + type(effect).__name__, None)
            if handler is None:
                raise TypeError(f"no handler for effect {effect!r}")
            notices.append(handler(session, conv, artisan, effect, now))
        return [said for said in notices if said]

    def _SaveProfile(self, session, conv, artisan, effect: t.SaveProfile, now) -> None:
        profile.update(session, artisan, effect.fields)  # a Bilingual: the Hindi name; listings that show it rebuilt
        audit.record(session, "artisan.profile", actor="artisan", at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, fields=sorted(effect.fields))

    def _RecordConsent(self, session, conv, artisan, effect: t.RecordConsent, now) -> None:
        artisan.consent_version = effect.version
        artisan.consent_at = now
        audit.record(session, "artisan.consent", actor="artisan", at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, version=effect.version, text_key=effect.text_key)

    def _SubmitListing(self, session, conv, artisan, effect: t.SubmitListing, now) -> str | None:
        # A product in the artisan's own words has no English name yet: staff name it before it goes abroad.
        unnamed = not ((effect.slots.get("product") or {}).get("en"))
        listing = listings.create_listing(session, artisan_id=artisan.id, slots=effect.slots,
                                          photo_ids=effect.photo_ids, review=self.review or unnamed, now=now)
        if unnamed:
            audit.record(session, "listing.needs_name", actor="bot", at=now, artisan_id=artisan.id,
                         conversation_id=conv.id, listing_id=listing.id)
        audit.record(session, "conversation.listing_done", actor="artisan", at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, listing_id=listing.id)
        if listing.status == "review":  # in the queue from now, with its real waiting time (not at the next sweep)
            ops.flag(session, conv, "review", review_detail(listing), now=now, actor="bot", listing_id=listing.id)
        return price_notice.notice(listing, self.settings, conv.language or "hi")

    def _UpdateListing(self, session, conv, artisan, effect: t.UpdateListing, now) -> None:
        listing = session.scalar(select(Listing).where(Listing.id == effect.listing_id,
                                                       Listing.artisan_id == artisan.id))
        if listing is None:
            log.warning("listing %s is not artisan %s's; change ignored", effect.listing_id, artisan.id)
            return
        try:
            listings.change(session, listing, effect.changes, now=now, actor="artisan")
        except listings.TransitionError as exc:
            log.warning("%s", exc)
        if listing.status != "review":  # withdrawn while waiting: nothing left to review
            ops.close_flags(session, conv, now=now, actor="artisan", reasons=("review",), listing_id=listing.id)

    def _FlagHelpdesk(self, session, conv, artisan, effect: t.FlagHelpdesk, now) -> None:
        ops.flag(session, conv, effect.reason, effect.detail, now=now, actor="bot")

    def _CloseFlags(self, session, conv, artisan, effect: t.CloseFlags, now) -> None:
        ops.close_flags(session, conv, now=now, actor="artisan", reasons=effect.reasons)

    def _SetOptOut(self, session, conv, artisan, effect: t.SetOptOut, now) -> None:
        change = ops.opt_out if effect.opted_out else ops.opt_in
        change(session, artisan, now=now, actor="artisan", conversation_id=conv.id)

    def _DiscardPhotos(self, session, conv, artisan, effect: t.DiscardPhotos, now) -> None:
        photos = session.scalars(select(Photo).where(Photo.id.in_(effect.photo_ids), Photo.artisan_id == artisan.id,
                                                     Photo.listing_id.is_(None))).all()
        self.discard(session, photos)
        audit.record(session, "photos.discarded", actor="artisan", at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, photo_ids=[p.id for p in photos])

    def _DeleteMyData(self, session, conv, artisan, effect: t.DeleteMyData, now) -> None:
        """Erase the person and everything they sent; withdraw listings; keep only the record that it happened."""
        self.eraser.erase(session, conv, artisan, now, kind="artisan.deleted")

    def _RefuseConsent(self, session, conv, artisan, effect: t.RefuseConsent, now) -> None:
        """A first contact said no: what they sent is erased, and a number-hashed record of the refusal kept."""
        number = artisan.phone or artisan.address
        self.eraser.erase(session, conv, artisan, now, kind="consent.refused")
        self.eraser.record_refusal(session, number, effect.version, now)

    def discard(self, session, photos) -> None:
        """Delete photo rows, and their files after the commit (the caller records who did it and why)."""
        for photo in photos:
            self._delete_files(session, photo)
            session.delete(photo)

    def _delete_files(self, session, photo: Photo) -> None:
        """Queue the photo's files for deletion after commit, unless another photo has the same picture."""
        if self.media_store is None or _has_twin(session, photo):
            return
        for key in photo_keys(photo.files):
            after_commit(session, functools.partial(self.media_store.delete, key))


def review_detail(listing: Listing) -> str:
    """What the queue says of a listing waiting for review: "Listing #3 waiting: <its product, as the artisan said>"."""
    return f"Listing #{listing.id} waiting: {product_name(listing)}"


def product_name(listing: Listing) -> str:
    """The listing's product in the artisan's words (Hindi), else in English, else a dash."""
    product = (listing.fields or {}).get("product")
    if isinstance(product, dict):
        return product.get("hi") or product.get("en") or "—"
    return str(product or "—")


def _has_twin(session, photo: Photo) -> bool:
    """True when another photo row holds the same picture (and so the same files)."""
    twin = session.scalar(select(Photo.id).where(Photo.sha256 == photo.sha256, Photo.id != photo.id).limit(1))
    return twin is not None
