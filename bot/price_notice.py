"""The line an artisan reads under the summary card and when a listing is submitted: what they will receive, and, when the listing may sell
abroad at another price, what buyers there see (prompts price_receive and price_receive_abroad: "You will receive
₹1,200. Buyers abroad will see $46.99 (with fees and postage).").

The bot says it (flows stay pure): the turn makes the line from the draft when the engine has just shown the
summary, the effect runner from the new listing; the turn puts it in the engine's last reply, before that reply's
question (on SMS, in a message of its own before it).
"""
from __future__ import annotations

from dataclasses import replace

import flows
from db.models import Listing
from flows.types import Reply, stored
from marketplace import ebay, pricing
from marketplace.price_schedule import ScheduleError
from marketplace.money import rupees


def sells_abroad(settings: dict) -> bool:
    """Whether eBay is set up, so a listing can be put on sale abroad."""
    return all(settings.get(key) for key in ebay.REQUIRED)


def notice(listing: Listing, settings: dict, lang: str) -> str | None:
    """The line for a new listing, in `lang`; None when it has no price."""
    fields = listing.fields or {}
    return line(listing.price_amount, fields.get("product"), fields, settings, lang)


def for_draft(state, settings: dict) -> list[str]:
    """The line under the summary card, from the draft's slots (none when the draft has no price yet)."""
    slots = stored(state.slots)
    said = line((slots.get("price") or {}).get("amount"), slots.get("product"), slots, settings, state.language)
    return [said] if said else []


def line(amount, product, fields: dict, settings: dict, lang: str) -> str | None:
    """What the artisan will receive for `amount` rupees and, when eBay sells it for another price, that price."""
    if not amount:
        return None
    value = rupees(amount)
    abroad = _abroad(amount, product, fields, settings) if sells_abroad(settings) else None
    if abroad is not None and abroad.differs:
        return flows.prompts.say("price_receive_abroad", lang, value=value, amount=f"{abroad.price:.2f}")
    return flows.prompts.say("price_receive", lang, value=value)


def _abroad(amount, product, fields: dict, settings: dict) -> pricing.Quote | None:
    try:
        return pricing.quote("ebay", amount, product, fields, settings)
    except (pricing.PricingError, ScheduleError):
        return None


def with_notices(replies: list[Reply], notices: list[str], *, sms: bool = False) -> list[Reply]:
    """The engine's replies with the notices put before the last reply's question (its last paragraph); on SMS,
    where every message must fit two parts, as a message of their own before the last reply."""
    if not notices:
        return replies
    if not replies or sms:
        return [*replies[:-1], Reply("\n\n".join(notices)), *replies[-1:]]
    last = replies[-1]
    head, _, question = last.text.rpartition("\n\n")
    text = "\n\n".join(filter(None, [head, *notices, question]))
    return [*replies[:-1], replace(last, text=text)]
