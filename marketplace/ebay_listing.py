"""A listing as Hunar puts it on eBay: the inventory item and the offer, made from a channel item.

Only what eBay's Inventory API takes: a title of at most 80 characters and a description of at most 4000
(basic HTML); aspects named in at most 40 characters with values of at most 50 (the builder keeps to those);
photos over HTTPS and at least 500 px on the longest side, at most 24; condition NEW; a fixed price in the
marketplace's currency from the price model (marketplace/pricing.py, postage built in), at least 0.99, that
lists "good 'til cancelled"; and all three business policies.
Nothing here talks to eBay (marketplace/ebay.py does).
"""
from __future__ import annotations

import html
from decimal import Decimal

from marketplace import pricing
from marketplace.builder import LIMITS, product_entry, shorten
from marketplace.channels import PublishError
from marketplace.price_schedule import ScheduleError

CURRENCIES = {"EBAY_US": "USD", "EBAY_MOTORS_US": "USD"}  # INR→USD is the one rate the price schedule has
# Used when a setting is missing or empty (config.py has the same defaults; a test may hand in fewer settings).
DEFAULTS = {"EBAY_TIMEOUT_SECONDS": 20, "EBAY_MARKETPLACE": "EBAY_US", "EBAY_LOCATION_KEY": "hunar-haryana",
            "EBAY_LOCATION_CITY": "Panipat"}
MIN_IMAGE_SIDE = 500  # eBay picture policy: at least 500 px on the longest side
MAX_IMAGES = 24


def setting(settings: dict, key: str):
    return settings.get(key) or DEFAULTS[key]


def location_key(settings: dict) -> str:
    """Our inventory location's key (eBay takes at most 36 characters)."""
    return str(setting(settings, "EBAY_LOCATION_KEY"))[:36]


def inventory_item(item: dict) -> dict:
    """createOrReplaceInventoryItem's body: the whole item, sent again in full on every update."""
    title = shorten(item["title"]["en"] or "", LIMITS["ebay"]["title"])
    return {
        "product": {
            "title": title,
            "description": _html(item["description"]["en"] or title, LIMITS["ebay"]["description"]),
            "aspects": {"Brand": ["Unbranded"], **item.get("specifics", {})},
            "brand": "Unbranded",
            "mpn": "Does not apply",
            "imageUrls": _image_urls(item),
        },
        "condition": "NEW",
        "availability": {"shipToLocationAvailability": {"quantity": _quantity(item)}},
    }


def offer(item: dict, settings: dict) -> dict:
    """createOffer's body (updateOffer takes the same without sku, marketplaceId and format)."""
    return {
        "sku": item["sku"],
        "marketplaceId": setting(settings, "EBAY_MARKETPLACE"),
        "format": "FIXED_PRICE",
        "availableQuantity": _quantity(item),
        "categoryId": _category(item, settings["EBAY_CATEGORY_ID"]),
        "listingDuration": "GTC",
        "listingPolicies": {"fulfillmentPolicyId": str(settings["EBAY_FULFILLMENT_POLICY_ID"]),
                            "paymentPolicyId": str(settings["EBAY_PAYMENT_POLICY_ID"]),
                            "returnPolicyId": str(settings["EBAY_RETURN_POLICY_ID"])},
        "merchantLocationKey": location_key(settings),
        "pricingSummary": {"price": _price(item, settings)},
    }


def _price(item: dict, settings: dict) -> dict:
    """The price model's eBay price (marketplace/pricing.py): the artisan receives what they asked."""
    marketplace = setting(settings, "EBAY_MARKETPLACE")
    currency = CURRENCIES.get(marketplace)
    if currency is None:
        raise PublishError("currency", f"Hunar converts INR to USD only; {marketplace} is not supported")
    found = _quote(item, settings)
    if found.currency != currency:
        raise PublishError("currency", f"the price schedule prices eBay in {found.currency}, "
                                       f"{marketplace} sells in {currency}")
    if found.price < Decimal("0.99"):
        raise PublishError("price", f"₹{item['price']['amount']} is under eBay's lowest price (0.99 USD)")
    return {"value": f"{found.price:.2f}", "currency": currency}


def _quote(item: dict, settings: dict) -> pricing.Quote:
    try:
        return pricing.quote("ebay", item["price"]["amount"], item.get("product"),
                             {"weight_kg": item.get("weight_kg")}, settings)
    except (pricing.PricingError, ScheduleError) as exc:
        raise PublishError("price", f"no eBay price: {exc}") from None


def _category(item: dict, categories) -> str:
    """HUNAR_EBAY_CATEGORY_ID: one category id, or a map from the builder's product category to ids (with a
    "default")."""
    return str(_category_for(categories, item) if isinstance(categories, dict) else categories)


def _category_for(categories: dict, item: dict) -> str:
    """The category id for the product's kind (data/builder.yml `category`), else the "default" one."""
    kind = (product_entry({"product": item.get("product")}) or {}).get("category")
    found = categories.get(kind) or categories.get("default")
    if not found:
        raise PublishError("category", f"no eBay category for {kind or 'this product'} in HUNAR_EBAY_CATEGORY_ID")
    return found


def _image_urls(item: dict) -> list[str]:
    """Photos eBay takes: over HTTPS and at least 500 px on the longest side; at most 24."""
    images = [image["url"] for image in item.get("images", []) if _takes(image)]
    if not images:
        raise PublishError("pictures", "eBay needs at least one photo over HTTPS, 500 px or larger "
                                       "(is HUNAR_PUBLIC_BASE_URL an https:// address?)")
    return images[:MAX_IMAGES]


def _takes(image: dict) -> bool:
    return image["url"].startswith("https://") and max(image.get("width") or 0, image.get("height") or 0) >= MIN_IMAGE_SIDE


def _quantity(item: dict) -> int:
    return max(int(item.get("quantity") or 1), 1)


def _html(text: str, limit: int) -> str:
    """Plain text as eBay's basic HTML (paragraph breaks as <br>), within `limit` after escaping."""
    out = html.escape(text).replace("\n", "<br>")
    while len(out) > limit:
        text = shorten(text, len(text) - (len(out) - limit) - 1)
        out = html.escape(text).replace("\n", "<br>")
    return out
