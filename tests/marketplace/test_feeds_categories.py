"""The feeds pass Google's and Meta's review per kind of product (issue 19, M9): brand, product category, and
gender, age group and size for apparel only (docs/marketplace.md, "Brand, category and apparel")."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from tests.support.shop import PANJA, Shop

G = "{http://base.google.com/ns/1.0}"
COMMON = {"price": {"amount": 900, "per": "piece"}, "quantity": 2, "colour": [{"hi": "लाल", "en": "red"}]}
# product fields → what both feeds must say: Google category id, gender, age group, size, size system
KINDS = {
    "durrie": (PANJA, 673, None, None, None, None),
    "phulkari dupatta": ({"product": {"hi": "फुलकारी दुपट्टा", "en": "phulkari dupatta"},
                          "size": {"length": 2.5, "width": 1.25, "unit": "metre"}},
                         177, "female", "adult", "One Size", None),
    "jutti, one size": ({"product": {"hi": "जूती", "en": "jutti"},
                         "size": {"kind": "shoe", "system": "IN", "values": [7]}}, 187, "unisex", "adult", "7", "UK"),
    "jutti, EU size": ({"product": {"hi": "जूती", "en": "jutti"},
                        "size": {"kind": "shoe", "system": "EU", "values": [40]}}, 187, "unisex", "adult", "40", "EU"),
    "matka": ({"product": {"hi": "घड़ा", "en": "clay pot"}, "size": None}, 638, None, None, None, None),
    "munj basket": ({"product": {"hi": "टोकरी", "en": "basket"}, "size": None}, 696, None, None, None, None),
    "a product Hunar does not know": ({"product": {"hi": None, "en": "wall hanging"}}, 536, None, None, None, None),
}
TWO_SIZES = {"product": {"hi": "जूती", "en": "jutti"}, "size": {"kind": "shoe", "system": None, "values": [7, 8]}}


@pytest.fixture
def kinds(app, photo_jpeg) -> dict[str, str]:
    """One published listing of each kind; its SKU by kind."""
    shop = Shop(app, photo_jpeg)
    return {kind: f"HUN{shop.listing(fields={**COMMON, **fields}):07d}" for kind, (fields, *_) in KINDS.items()}


def _google(client) -> dict[str, ET.Element]:
    rss = ET.fromstring(client.get("/feeds/google.xml").data)
    return {e.findtext(f"{G}id"): e for e in rss.findall("./channel/item")}


def _meta(client) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(client.get("/feeds/meta.csv").get_data(as_text=True)))
    return {row["id"]: row for row in rows}


def test_google_items_carry_brand_category_and_apparel_attributes_only_for_apparel(client, kinds):
    items = _google(client)
    for kind, sku in kinds.items():
        _google_item_is_right(items[sku], *KINDS[kind][1:])


def _google_item_is_right(item: ET.Element, category, gender, age, size, system) -> None:
    assert [e.text for e in item.findall(f"{G}brand")] == ["Hunar"]
    assert [e.text for e in item.findall(f"{G}google_product_category")] == [str(category)]
    assert item.findtext(f"{G}gender") == gender and item.findtext(f"{G}age_group") == age
    assert item.findtext(f"{G}size_system") == system
    sizes = [e.text for e in item.findall(f"{G}size")]
    if gender:
        assert sizes == ([size] if size else [])
    else:
        assert len(sizes) <= 1 and "One Size" not in sizes


def test_meta_rows_carry_brand_category_and_apparel_columns(client, kinds):
    rows = _meta(client)
    for kind, sku in kinds.items():
        _meta_row_is_right(rows[sku], *KINDS[kind][1:])


def _meta_row_is_right(row: dict, category, gender, age, size, system) -> None:
    assert row["brand"] == "Hunar" and row["google_product_category"] == str(category)
    assert row["gender"] == (gender or "") and row["age_group"] == (age or "")
    if gender:
        assert row["size"] == (f"{system} {size}" if system else size or "")


def test_a_jutti_in_two_sizes_is_one_item_per_size_grouped_by_the_listings_sku(app, client, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    sku = f"HUN{shop.listing(fields={**COMMON, **TWO_SIZES}):07d}"
    google, meta = _google(client), _meta(client)
    assert sorted(google) == sorted(meta) == [f"{sku}-7", f"{sku}-8"]
    for size in ("7", "8"):
        item, row = google[f"{sku}-{size}"], meta[f"{sku}-{size}"]
        assert item.findtext(f"{G}item_group_id") == row["item_group_id"] == sku
        _google_item_is_right(item, 187, "unisex", "adult", size, "UK")
        _meta_row_is_right(row, 187, "unisex", "adult", size, "UK")
        assert row["quantity_to_sell_on_facebook"] == ""  # pairs per size unknown: none claimed
        assert item.findtext("link") == row["link"] and row["link"].endswith(f"/listings/{sku[3:].lstrip('0')}?lang=en")


def test_a_rug_keeps_its_measured_size_and_every_meta_row_has_every_column(client, kinds):
    rows = _meta(client)
    assert rows[kinds["durrie"]]["size"] == "6 x 4 ft"
    assert _google(client)[kinds["durrie"]].findtext(f"{G}size") == "6 x 4 ft"
    header = client.get("/feeds/meta.csv").get_data(as_text=True).splitlines()[0].split(",")
    assert {"brand", "google_product_category", "gender", "age_group", "size", "item_group_id"} <= set(header)
    assert all(row["item_group_id"] == "" for row in rows.values())  # no listing here has several sizes
    assert all(None not in row and all(value is not None for value in row.values()) for row in rows.values())
