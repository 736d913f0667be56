"""The listing card's price breakdown (what eBay's price is made of) and the form that changes a listing's weight.

Any staff member may change the weight: nothing is said to the artisan, so the conversation need not be taken
over. The new weight is kept in Listing.fields["weight_kg"]; the change follows to eBay like any other edit.
"""
from __future__ import annotations

from flask import g, request

from db import audit
from db.models import Conversation, Listing, StaffUser
from helpdesk.actions import ActionError, actor
from helpdesk.views import run_action
from helpdesk.web import bp, services
from marketplace import listings, pricing, weights

LABELS = {"final_value_fee": "Final value fee", "per_order_fee": "Per-order fee",
          "international_fee": "International fee", "currency_conversion": "Currency conversion"}


@bp.app_template_global("price_breakdown")
def price_breakdown(listing: Listing) -> dict | None:
    """The eBay quote of a listing as rows for the card, or None when it has no price (or cannot be priced)."""
    found = pricing.try_quote("ebay", listing, services().settings)
    if found is None:
        return None
    rate = float(found.rate)
    rows = [{"name": LABELS.get(name, name), "usd": float(amount), "inr": float(amount) * rate,
             "source": found.sources.get(name, "")} for name, amount in found.charges.items()]
    return {**found.as_dict(), "rows": rows}


def set_weight(conversation_id: int, listing_id: int, user: StaffUser, text: str) -> None:
    """Keep the weight staff typed on the listing (its eBay price follows)."""
    kg = weights.valid(text)
    if kg is None:
        raise ActionError(f"Write the packed weight in kg, for example 2.5 (at most {weights.MAX_KG:g} kg).")
    svc = services()
    with svc.db.session() as session:
        conv = session.get(Conversation, conversation_id)
        listing = session.get(Listing, listing_id)
        if conv is None or listing is None or listing.artisan_id != conv.artisan_id:
            raise LookupError(f"no listing {listing_id} in conversation {conversation_id}")
        if listing.status == "withdrawn":
            raise ActionError("A withdrawn listing is not sold anywhere: its weight no longer matters.")
        now = svc.clock()
        listings.change(session, listing, {"weight_kg": kg}, now=now, actor=actor(user))
        audit.record(session, "helpdesk.weight", actor=actor(user), at=now, artisan_id=conv.artisan_id,
                     conversation_id=conv.id, listing_id=listing.id, weight_kg=kg)


@bp.post("/c/<int:conversation_id>/listings/<int:listing_id>/weight")
def listing_weight(conversation_id: int, listing_id: int):
    text = request.form.get("weight_kg", "")
    return run_action(conversation_id, lambda: set_weight(conversation_id, listing_id, g.user, text),
               f"Weight of listing {listing_id} saved; its eBay price follows.")
