"""The photo strip of the Draft and Listing cards (thumbnails, each photo's verdict, which one is the cover) and
the form that removes, moves or picks a photo as the cover (thin: helpdesk.photo_actions works)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g
from sqlalchemy import select

from db.models import Conversation, Listing, Photo
from helpdesk import photo_actions
from helpdesk.photo_words import not_kept_words, verdict_words
from helpdesk.transcript import thumb_key
from helpdesk.views import run_action
from helpdesk.web import bp, media_url, services
from marketplace import gallery


@dataclass
class PhotoCard:
    """One photo as a card shows it."""

    id: int
    thumb: str | None  # None when its files are gone
    verdict: str  # "ok" | "tip" | "retake" | "reject"
    words: str  # the verdict in words: "ok", "retake: too dark"
    passed: bool
    cover: bool  # the photo buyers see first
    first: bool
    last: bool


def _cards(photos: list[Photo], cover_id: int | None) -> list[PhotoCard]:
    cards = []
    for n, photo in enumerate(photos):
        key = thumb_key(photo.files)
        words = verdict_words(photo.verdict, photo.reason) if key else not_kept_words(photo.verdict, photo.reason)
        cards.append(PhotoCard(id=photo.id, thumb=media_url(key) if key else None, verdict=photo.verdict,
                               words=words, passed=gallery.passed(photo), cover=photo.id == cover_id,
                               first=n == 0, last=n == len(photos) - 1))
    return cards


@bp.app_template_global("draft_photos")
def draft_photos(conv: Conversation) -> list[PhotoCard]:
    """The draft's photos in the draft's order; the cover is the first that passed the check."""
    ids = [i for i in ((conv.slots or {}).get("photos") or []) if isinstance(i, int)]
    if not ids:
        return []
    with services().db.session() as s:
        found = {p.id: p for p in s.scalars(select(Photo).where(Photo.id.in_(ids),
                                                                 Photo.artisan_id == conv.artisan_id))}
        photos = [found[i] for i in ids if i in found]
        cover = next((p.id for p in photos if gallery.passed(p)), None)
        return _cards(photos, cover)


@bp.app_template_global("listing_photos")
def listing_photos(listing: Listing) -> list[PhotoCard]:
    """All of a listing's photos in its order, the cover being the first one buyers see (marketplace.gallery)."""
    with services().db.session() as s:
        photos = list(s.scalars(select(Photo).where(Photo.listing_id == listing.id)
                                .order_by(Photo.position, Photo.id)))
        shown = gallery.shown(photos)
        return _cards(photos, shown[0].id if shown else None)


@bp.post("/c/<int:conversation_id>/photos/<int:photo_id>/<move>")
def photo_move(conversation_id: int, photo_id: int, move: str):
    return run_action(conversation_id, lambda: photo_actions.change_photo(services(), conversation_id, photo_id, g.user,
                                                                   move), photo_actions.DONE.get(move))
