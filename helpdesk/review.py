"""Reviewing a listing: approve (publish) or reject it, from the queue or the conversation page, without taking
the conversation over. The bot keeps its mode, nobody greets the artisan, and the artisan gets exactly one message:
the public link on publish, the reason on reject. The listing's review flag closes.
"""
from __future__ import annotations

from sqlalchemy import select

import flows
from bot import conversation_ops as ops
from bot.effects import product_name
from bot.handoff import act
from bot.services import Services
from db import audit
from db.models import Listing
from helpdesk.actions import ActionError, actor, in_window
from marketplace import listings

DECISIONS = ("published", "rejected")


def review(services: Services, conversation_id: int, listing_id: int, user, decision: str, reason: str = "") -> bool:
    """Publish or reject a listing waiting for review and tell the artisan; any staff member may, holding the
    conversation or not. Returns whether the artisan was told (not outside WhatsApp's 24 hours, nor opted out)."""
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise ActionError("Choose publish or reject.")
    if decision == "rejected" and not reason:
        raise ActionError("Say why it is rejected; the artisan is told the reason.")
    told = []

    def change(session, conv, artisan, now):
        listing = _listing(session, conv, listing_id)
        _decide(session, listing, decision, reason, now, actor(user))
        ops.close_flags(session, conv, now=now, actor=actor(user), reasons=("review",), listing_id=listing.id)
        audit.record(session, "helpdesk.publish" if decision == "published" else "helpdesk.reject",
                     actor=actor(user), at=now, artisan_id=artisan.id, conversation_id=conv.id,
                     listing_id=listing.id, **({"reason": reason} if reason else {}))
        if not in_window(conv, now) or artisan.opted_out_at is not None:
            return []
        told.append(True)
        return [_message(services, conv, listing, decision, reason)]

    act(services, conversation_id, change, author="staff", staff_id=user.id)
    return bool(told)


def _listing(session, conv, listing_id: int) -> Listing:
    listing = session.scalar(select(Listing).where(Listing.id == listing_id, Listing.artisan_id == conv.artisan_id))
    if listing is None:
        raise ActionError("That listing is not this artisan's.")
    return listing


def _decide(session, listing: Listing, decision: str, reason: str, now, who: str) -> None:
    try:
        listings.move(session, listing, decision, now=now, actor=who, reason=reason or None)
    except listings.TransitionError:
        raise ActionError(f"A listing that is {listing.status} cannot be {decision}.") from None


def _message(services: Services, conv, listing: Listing, decision: str, reason: str) -> flows.Reply:
    """The one message the artisan gets: the public link to share on publish, the reason on reject."""
    lang = conv.language or "hi"
    if decision == "published":
        key = "staff_published_sms" if conv.channel == "sms" else "staff_published"  # one SMS part, link whole
        return flows.Reply(flows.prompts.say(key, lang, product=product_name(listing),
                                             link=public_link(services.settings, listing.id)))
    return flows.Reply(flows.prompts.say("staff_rejected", lang, product=product_name(listing), value=reason))


def public_link(settings: dict, listing_id: int) -> str:
    """The listing's page on the storefront: HUNAR_PUBLIC_BASE_URL + /listings/<id>."""
    return f"{str(settings['PUBLIC_BASE_URL']).rstrip('/')}/listings/{listing_id}"


def outcome(listing_id: int, decision: str, told: bool) -> str:
    """What the staff member is told after deciding."""
    done = f"Listing {listing_id} {'published' if decision == 'published' else 'rejected'}"
    if told:
        return f"{done}; the artisan was sent one message {'with its link' if decision == 'published' else 'with the reason'}."
    return f"{done}. The artisan could not be told now (outside WhatsApp's 24 hours, or opted out)."
