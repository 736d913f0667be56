"""Staff fixing a draft's or a listing's photos: remove one, move it up or down, make it the cover.

Like every staff change these run through `bot.handoff.act`, under the conversation's lock, so the draft in the
engine's state and the photos table never disagree with a turn running at the same moment. They say nothing to
the artisan, so the conversation need not be taken over (as with retrying a sales channel). Every change is
recorded in the audit trail.
"""
from __future__ import annotations

from sqlalchemy import select

from bot import conversations as store
from bot.handoff import act
from bot.services import Services
from db import audit
from db.models import Listing, Photo, StaffUser
from helpdesk.actions import ActionError, actor
from helpdesk.photo_words import verdict_words
from marketplace import gallery, listings

MOVES = ("remove", "up", "down", "cover")
DONE = {"remove": "Photo removed.", "up": "Photo moved up.", "down": "Photo moved down.", "cover": "Cover chosen."}


def reordered(ids: list[int], photo_id: int, move: str) -> list[int]:
    """The photo ids after `move` of `photo_id`: left out, one place earlier or later, or first."""
    at = ids.index(photo_id)
    rest = [i for i in ids if i != photo_id]
    if move == "remove":
        return rest
    place = {"cover": 0, "up": max(at - 1, 0), "down": min(at + 1, len(rest))}[move]
    return rest[:place] + [photo_id] + rest[place:]


def change_photo(services: Services, conversation_id: int, photo_id: int, user: StaffUser, move: str) -> None:
    """Apply `move` to one of the artisan's photos, in the draft or in a listing."""
    if move not in MOVES:
        raise ActionError(f"Unknown photo action {move!r}.")

    def change(session, conv, artisan, now):
        photo = session.scalar(select(Photo).where(Photo.id == photo_id, Photo.artisan_id == conv.artisan_id))
        if photo is None:
            raise ActionError("That photo is not this artisan's (it may have been removed already).")
        if move == "cover" and not gallery.passed(photo):
            raise ActionError(f"Only a photo that passed the check can be the cover; this one is "
                              f"{verdict_words(photo.verdict, photo.reason)}.")
        listing_id = photo.listing_id
        if listing_id is None:
            _in_draft(services, session, conv, photo, move)
        else:
            _in_listing(services, session, photo, move, now)
        audit.record(session, f"helpdesk.photo_{move}", actor=actor(user), at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, listing_id=listing_id, photo_id=photo_id)
        return []  # staff tidying photos is not news for the artisan

    act(services, conversation_id, change)


def _in_draft(services: Services, session, conv, photo: Photo, move: str) -> None:
    """The draft's photo list lives in the engine's state: change it there (and drop a removed photo's files)."""
    state = store.load_state(conv)
    ids = list((state.slots.get("photos") if state else None) or [])
    if photo.id not in ids:
        raise ActionError("That photo is not in the draft.")
    state.slots["photos"] = reordered(ids, photo.id, move)
    if move == "remove":
        state.kept_retakes = [i for i in state.kept_retakes if i != photo.id]
        services.effects.discard(session, [photo])
    store.save_state(conv, state)


def _in_listing(services: Services, session, photo: Photo, move: str, now) -> None:
    """A listing's photos are ordered by position: renumber them, and tell the listing's followers (storefront,
    feeds, channels) that it changed."""
    listing = session.get(Listing, photo.listing_id)
    photos = list(session.scalars(select(Photo).where(Photo.listing_id == listing.id)
                                  .order_by(Photo.position, Photo.id)))
    order = reordered([p.id for p in photos], photo.id, move)
    by_id = {p.id: p for p in photos}
    for position, photo_id in enumerate(order):
        by_id[photo_id].position = position
    if move == "remove":
        services.effects.discard(session, [photo])
    listing.updated_at = now
    listings.touch(session, listing)
