"""schema.org `Product` JSON-LD for a listing page, so search engines show the price and stock (issue 19, m23)."""
from __future__ import annotations

import json

from markupsafe import Markup

from marketplace.feed_attributes import BRAND

IN_STOCK, SOLD_OUT = "https://schema.org/InStock", "https://schema.org/SoldOut"
# Inside <script> the HTML parser ends the block at "</script" and comments at "<!--", whatever JSON says: so no
# "<", ">" or "&" is written raw (JSON reads the \\u escapes back as the same characters), nor U+2028/9.
ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def product(card: dict, url: str, sku: str) -> dict:
    """The Product object for a storefront card (marketplace/storefront.py `card`) shown at `url`."""
    data = {"@context": "https://schema.org", "@type": "Product", "name": card["title"], "sku": sku,
            "description": card["description"] or card["title"], "brand": {"@type": "Brand", "name": BRAND},
            "offers": _offer(card, url)}
    if card["photos"]:
        data["image"] = card["photos"][0]["main"]  # the cover, full size
    return data


def _offer(card: dict, url: str) -> dict:
    return {"@type": "Offer", "price": f"{float(card['price_amount'] or 0):.2f}", "priceCurrency": "INR",
            "availability": SOLD_OUT if card["sold_out"] else IN_STOCK,
            "itemCondition": "https://schema.org/NewCondition", "url": url}


def script(data: dict) -> Markup:
    """A <script type="application/ld+json"> block holding `data`, safe whatever text an artisan typed."""
    text = json.dumps(data, ensure_ascii=False)
    for raw, escaped in ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def product_script(card: dict, url: str, sku: str) -> Markup:
    return script(product(card, url, sku))
