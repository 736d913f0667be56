"""The line an artisan reads when a listing is submitted: what they will receive, and, when the listing may sell
abroad at another price, what buyers there see (prompts price_receive and price_receive_abroad: "You will receive
₹1,200. Buyers abroad will see $46.99 (with fees and postage).").

The bot says it (flows stay pure): the effect runner makes the line from the new listing, and the turn puts it in
the engine's last reply, before that reply's question (on SMS, in a message of its own before it).
"""
from __future__ import annotations

from dataclasses import replace

import flows
from db.models import Listing
from flows.types import Reply
from marketplace import ebay, pricing
from marketplace.money import rupees


def sells_abroad(settings: dict) -> bool:
    """Whether eBay is set up, so a listing can be put on sale abroad."""
    return all(settings.get(key) for key in ebay.REQUIRED)


def notice(listing: Listing, settings: dict, lang: str) -> str | None:
    """The line for a new listing, in `lang`; None when it has no price."""
    if not listing.price_amount:
        return None
    value = rupees(listing.price_amount)
    abroad = pricing.try_quote("ebay", listing, settings) if sells_abroad(settings) else None
    if abroad is not None and abroad.differs:
        return flows.prompts.say("price_receive_abroad", lang, value=value, amount=f"{abroad.price:.2f}")
    return flows.prompts.say("price_receive", lang, value=value)


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
