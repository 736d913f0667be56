"""Feeds checked row by row against the channels' rules (docs/marketplace.md, "Feeds"), and the B2B sheet."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from PIL import Image

from fakes import images
from tests.support.shop import CASES, Shop

PRICE = re.compile(r"^\d+\.\d{2} [A-Z]{3}$")  # "1200.00 INR": number, space, ISO 4217; no symbol
G = "{http://base.google.com/ns/1.0}"
META_REQUIRED = ("id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand",
                 "origin_country")
META_MAX = {"id": 100, "title": 200, "description": 9999, "brand": 100, "size": 200, "material": 200, "color": 200,
            "product_type": 750, "manufacturer_info": 200}


@pytest.fixture
def catalogue(app, photo_jpeg):
    """One listing fit for the feeds, and four that must stay out of them."""
    shop = Shop(app, photo_jpeg)
    good = shop.listing(shop.artisan(), photos=2)
    sold_out = shop.listing()
    shop.change(sold_out, {"quantity": 0})
    in_review = shop.listing(review=True)
    small = Shop(app, images.encode(images.product_photo(480, 360, seed=3))).listing()
    withdrawn = shop.listing()
    shop.move(withdrawn, "withdrawn")
    return {"good": good, "out": [sold_out, in_review, small, withdrawn], "phones": _phones(app)}


def _phones(app) -> list[str]:
    from sqlalchemy import select

    from db.models import Artisan

    with app.extensions["hunar"].db.session() as s:
        numbers = [a.rsplit(":", 1)[-1] for a in s.scalars(select(Artisan.address))]  # simulated artisans have
        return [n.lstrip("+")[-10:] for n in numbers if n.lstrip("+").isdigit()]  # their number only there


def _image_ok(client, url: str, formats=("JPEG", "PNG")) -> tuple[int, int]:
    resp = client.get(urlsplit(url).path)
    assert resp.status_code == 200, url
    assert len(resp.data) <= 8 * 1024 * 1024
    image = Image.open(io.BytesIO(resp.data))
    assert image.format in formats
    return image.size


def test_meta_feed_rows_meet_metas_rules(client, catalogue):
    resp = client.get("/feeds/meta.csv")
    assert resp.status_code == 200 and resp.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert [r["id"] for r in rows] == [f"HUN{catalogue['good']:07d}"]
    for row in rows:
        assert all(row[f] for f in META_REQUIRED), row
        assert all(len(row[f]) <= limit for f, limit in META_MAX.items())
        assert row["availability"] == "in stock" and row["condition"] == "new"
        assert PRICE.match(row["price"]) and row["price"] == "1200.00 INR"
        assert row["origin_country"] == "IN" and row["wa_compliance_category"] == "DEFAULT"
        assert row["description"] != row["title"]
        assert row["link"].startswith(("http://", "https://")) and "facebook.com" not in row["link"]
        assert min(_image_ok(client, row["image_link"])) >= 500
        extra = row["additional_image_link"].split(",")
        assert len(extra) == 1 and len(extra) <= 20 and all(len(u) <= 2000 for u in extra)
        assert row["title"] == CASES["builder"][0]["title"]["en"]
        assert row["material"] == "cotton" and row["color"] == "red" and row["size"] == "6 x 4 ft"
    assert not any(phone in resp.get_data(as_text=True) for phone in catalogue["phones"])


def test_google_feed_items_meet_merchant_centers_rules(client, catalogue):
    resp = client.get("/feeds/google.xml")
    assert resp.status_code == 200
    assert b'xmlns:g="http://base.google.com/ns/1.0"' in resp.data
    rss = ET.fromstring(resp.data)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    entries = rss.findall("./channel/item")
    assert [e.findtext(f"{G}id") for e in entries] == [f"HUN{catalogue['good']:07d}"]
    for e in entries:
        assert 1 <= len(e.findtext(f"{G}id")) <= 50
        assert 1 <= len(e.findtext("title")) <= 150
        assert 1 <= len(e.findtext("description")) <= 5000
        assert e.findtext("link").startswith(("http://", "https://"))
        image = e.findtext(f"{G}image_link")
        assert 1 <= len(image) <= 2000 and image.isascii()
        assert min(_image_ok(client, image, ("JPEG", "PNG", "WEBP", "GIF"))) >= 500
        assert PRICE.match(e.findtext(f"{G}price"))
        assert e.findtext(f"{G}availability") == "in_stock"
        assert e.findtext(f"{G}condition") == "new"
        assert e.findtext(f"{G}identifier_exists") == "no"
    assert not any(phone.encode() in resp.data for phone in catalogue["phones"])


def test_b2b_export_has_moq_unit_price_supply_and_specifications(app, catalogue, tmp_path):
    path = tmp_path / "b2b.csv"
    result = app.test_cli_runner().invoke(args=["listings", "export-b2b", str(path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 1
    row = rows[0]
    assert row["moq"] == "1" and row["unit"] == row["moq_unit"] == "piece"
    assert row["price_per_unit"] == "1200.00" and row["currency"] == "INR"
    assert row["supply_ability"] == "5 piece in stock"
    assert "Material: Cotton" in row["specifications"] and "Size: 6 x 4 ft" in row["specifications"]
    assert row["hsn_code"] == "5702" and row["origin_state"] == "Haryana"
