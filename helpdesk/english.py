"""Staff's check of a listing's English: the draft English beside the Hindi on the listing card, and an edit box
whose text becomes the English of those words (marketplace/english.py keeps it with the text it translates)."""
from __future__ import annotations

from flask import g, request
from sqlalchemy import select

from bot.handoff import act
from db import audit
from db.models import Listing
from helpdesk import actions
from helpdesk.views import run_action
from helpdesk.web import bp, services
from marketplace import english, listings

MAX_ENGLISH = 2000  # characters; a description's English is far shorter, and every channel's limit is above it


@bp.app_template_global("english_story")
def english_story(listing: Listing) -> english.Story | None:
    """The listing's words, their English and what is left for staff (for helpdesk/_english.html)."""
    return english.story(listing.fields or {})


def save_english(conversation_id: int, listing_id: int, user, text: str) -> None:
    """Make `text` the English of the listing's words (staff wrote or checked it); empty text goes back to the
    translator's draft. No take-over is needed: the artisan is not messaged."""
    text = " ".join((text or "").split())[:MAX_ENGLISH]

    def change(session, conv, artisan, now):
        listing = session.scalar(select(Listing).where(Listing.id == listing_id,
                                                       Listing.artisan_id == conv.artisan_id))
        if listing is None:
            raise actions.ActionError("That listing is not this artisan's.")
        found = english.story(listing.fields or {})
        if found is None:
            raise actions.ActionError("This listing has no description to put into English.")
        value = {"text": text, "for": found.text} if text else None
        listings.change(session, listing, {"description_en": value}, now=now, actor=actions.actor(user))
        audit.record(session, "helpdesk.english", actor=actions.actor(user), at=now, artisan_id=artisan.id,
                     conversation_id=conv.id, listing_id=listing.id, after=text)
        return []

    act(services(), conversation_id, change)


@bp.post("/c/<int:conversation_id>/listings/<int:listing_id>/english")
def listing_english(conversation_id: int, listing_id: int):
    return run_action(conversation_id, lambda: save_english(conversation_id, listing_id, g.user,
                                                     request.form.get("english", "")), "English saved.")
