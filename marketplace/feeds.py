"""Product feeds from the one serializer: Meta/WhatsApp catalog CSV, Google Merchant RSS, a B2B sheet.

Only published, in-stock listings whose cover passed the photo check (marketplace/gallery.py) and with a photo
of at least 500×500 px (Meta's minimum; Google's from 2027);
prices as number, space, ISO 4217 code ("1200.00 INR"); English values (the export channels' language); no
phone numbers. Meta wants availability "in stock" and Google "in_stock"; titles are cut to 200 (Meta) and 150
(Google) characters, descriptions to 9999 and 5000; handmade goods have no GTIN, so Google gets
identifier_exists "no".
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from sqlalchemy.orm import Session

from marketplace import builder, catalog, feed_attributes, gallery
from marketplace.listings import photos_by_listing
from marketplace.money import feed_price
from marketplace.serialize import channel_item
from marketplace.vocabulary import size_text

BRAND = feed_attributes.BRAND
MIN_SIDE = 500  # Meta: image ≥ 500×500; Google enforces the same from 2027; eBay wants 500 on the long side
G = "http://base.google.com/ns/1.0"

META_FIELDS = ["id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand",
               "origin_country", "wa_compliance_category", "manufacturer_info", "material", "color", "size",
               "product_type", "additional_image_link", "quantity_to_sell_on_facebook",
               *feed_attributes.META_COLUMNS]
B2B_FIELDS = ["sku", "product_name", "category", "hsn_code", "price_per_unit", "currency", "unit", "moq",
              "moq_unit", "supply_ability", "specifications", "description", "image_urls", "product_url",
              "origin_district", "origin_state", "origin_country", "maker"]


BATCH = 500  # listings whose photos are loaded in one query


def items(session: Session, media_store, base_url: str) -> list[dict]:
    """Feed-ready listings: published, in stock, and with at least one photo 500×500 or larger."""
    # Rows keep each artisan referenced, so the serializer finds it in the session instead of querying again.
    found = [(listing, artisan) for listing, artisan in catalog.rows(session, limit=None) if catalog.in_stock(listing)]
    out = []
    for start in range(0, len(found), BATCH):
        out += _ready(session, [listing for listing, _ in found[start:start + BATCH]], media_store, base_url)
    return out


def _ready(session: Session, listings: list, media_store, base_url: str) -> list[dict]:
    """The items of a batch of listings (their photos loaded in one query) with an English title and a photo
    big enough for the feeds."""
    photos = photos_by_listing(session, [listing.id for listing in listings])
    made = (_big_photos_only(channel_item(session, listing, media_store, base_url=base_url, photos=photos[listing.id]))
            for listing in listings if gallery.cover_passed(photos[listing.id]))  # no feed shows a failed cover
    return [item for item in made if _listable(item)]


def _listable(item: dict) -> bool:
    """The feeds need an English title and at least one photo."""
    return bool(item["images"] and item["title"]["en"])


def _big_photos_only(item: dict) -> dict:
    item["images"] = [image for image in item["images"] if _big_enough(image)]
    return item


def _big_enough(image: dict) -> bool:
    return min(image["width"] or 0, image["height"] or 0) >= MIN_SIDE


def _link(item: dict) -> str:
    return item["url"] + "?lang=en"


def _words(values: list[dict]) -> list[str]:
    return [v["en"] for v in values if v.get("en")]


def _size(item: dict) -> str:
    """The measured size ("6 x 4 ft"); none for apparel, whose size is its own (feed_attributes.apparel)."""
    if feed_attributes.apparel(item):
        return ""
    return size_text(item.get("size"), "en", sep=" x ") if item.get("size") else ""


def meta_csv(items: list[dict]) -> str:
    """The Meta commerce catalog (WhatsApp catalog) as CSV."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=META_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_meta_row(item) for item in feed_attributes.expanded(items))
    return buf.getvalue()


def _meta_row(item: dict) -> dict:
    return {
        "id": item["sku"],
        "title": builder.shorten(item["title"]["en"], 200),
        "description": builder.shorten(item["description"]["en"], 9999),
        "availability": "in stock",
        "condition": "new",
        "price": feed_price(item["price"]["amount"]),
        "link": _link(item),
        "image_link": item["images"][0]["url"],
        "brand": BRAND,
        "origin_country": "IN",
        "wa_compliance_category": "DEFAULT",
        "manufacturer_info": _manufacturer(item.get("artisan") or {}),
        "material": (item["material"].get("en") or "")[:200],
        "color": "/".join(_words(item["colours"]))[:200],
        "size": _size(item)[:200],
        "product_type": (item["product"].get("en") or "")[:750],
        "additional_image_link": ",".join(i["url"] for i in item["images"][1:21]),
        "quantity_to_sell_on_facebook": _blank_if_none(item["quantity"]),
        **feed_attributes.meta_columns(item),
    }


def _manufacturer(artisan: dict) -> str:
    """"Handmade by Sunita Devi, Panipat, Haryana, India"; "an artisan" for a name not in Latin letters."""
    place = ", ".join(p for p in (artisan.get("district_en"), "Haryana", "India") if p)
    name = artisan.get("name_en") or "an artisan"
    return builder.shorten(f"Handmade by {name}, {place}", 200)


def _blank_if_none(value):
    return "" if value is None else value


def google_xml(items: list[dict], *, base_url: str, title: str = "Hunar — handmade in Haryana") -> bytes:
    """Google Merchant Center RSS 2.0 with the g: namespace."""
    ET.register_namespace("g", G)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = base_url.rstrip("/") + "/catalogue"
    ET.SubElement(channel, "description").text = "Handmade durries, phulkari, khes, juttis and pottery from Haryana"
    for item in feed_attributes.expanded(items):
        _google_item(ET.SubElement(channel, "item"), item)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def _g(parent: ET.Element, name: str, text) -> None:
    ET.SubElement(parent, f"{{{G}}}{name}").text = str(text)


def _google_item(entry: ET.Element, item: dict) -> None:
    _g(entry, "id", item["sku"][:50])
    ET.SubElement(entry, "title").text = builder.shorten(item["title"]["en"], 150)
    ET.SubElement(entry, "description").text = builder.shorten(item["description"]["en"], 5000)
    ET.SubElement(entry, "link").text = _link(item)
    _g(entry, "image_link", item["images"][0]["url"])
    for extra in item["images"][1:11]:
        _g(entry, "additional_image_link", extra["url"])
    for name, value in (("price", feed_price(item["price"]["amount"])), ("availability", "in_stock"),
                        ("condition", "new"), ("identifier_exists", "no"), ("product_type", item["product"].get("en")),
                        ("material", item["material"].get("en")), ("color", "/".join(_words(item["colours"]))),
                        ("size", _size(item)), *feed_attributes.google_attributes(item)):
        if value:
            _g(entry, name, value)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def b2b_csv(items: list[dict]) -> str:
    """A bulk sheet for TradeIndia/IndiaMART-style portals: MOQ, unit, price per unit, supply, specifications.

    Staff open it in a spreadsheet, and its text comes from artisans (a name, a description), so every cell is
    neutralised (`cell`). Numbers here are never negative, so none is changed.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=B2B_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow({name: cell(value) for name, value in _b2b_row(item).items()})
    return buf.getvalue()


def _b2b_row(item: dict) -> dict:
    """One listing's row of the B2B sheet, as plain values."""
    unit = item["price"]["per"] or "piece"
    artisan = item.get("artisan") or {}
    return {
        "sku": item["sku"],
        "product_name": item["title"]["en"],
        "category": item["product"].get("en") or "",
        "hsn_code": (item.get("hsn") or {}).get("code", ""),
        "price_per_unit": f"{float(item['price']['amount']):.2f}",
        "currency": "INR",
        "unit": unit,
        "moq": item.get("moq") or 1,
        "moq_unit": unit,
        "supply_ability": _supply(item["quantity"], unit),
        "specifications": _specifications(item.get("specifics", {})),
        "description": item["description"]["en"],
        "image_urls": " ".join(i["url"] for i in item["images"]),
        "product_url": _link(item),
        "origin_district": artisan.get("district_en") or "",
        "origin_state": "Haryana",
        "origin_country": "India",
        "maker": artisan.get("name_en") or "",
    }


def _specifications(specifics: dict[str, list[str]]) -> str:
    """"Type: Panja Durrie; Color: Red, Blue; ..." """
    return "; ".join(f"{name}: {', '.join(values)}" for name, values in specifics.items())


def _supply(quantity: int | None, unit: str) -> str:
    return "" if quantity is None else f"{quantity} {unit} in stock"
