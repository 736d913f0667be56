"""The price buyers abroad pay, beside the rupees on the English storefront: "≈ US$46.99 on eBay"."""
from __future__ import annotations

from marketplace import price_schedule, pricing


def abroad_price(listing, settings: dict, words: dict, lang: str) -> str | None:
    """eBay's price for the listing (the price model's) in `words`' phrasing; None on Hindi pages or without one."""
    if lang != "en":
        return None
    found = pricing.try_quote("ebay", listing, settings)
    if found is None or not found.differs:
        return None
    on_ebay = ((listing.channels or {}).get("ebay") or {}).get("status") == "published"
    return words["abroad_on_ebay" if on_ebay else "abroad_shipped"].format(amount=f"{found.price:.2f}")


def cache_part(settings: dict, lang: str) -> dict:
    """What a cached English page with prices depends on besides the listings: the schedule in force."""
    return {"prices": price_schedule.version(settings)} if lang == "en" else {}
