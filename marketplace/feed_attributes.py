"""What Google and Meta review a feed item for beyond its text: brand, product category, and the apparel
attributes (gender, age group, size) of dupattas and juttis. The table is marketplace/data/feed_categories.yml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from marketplace.builder import product_entry
from marketplace.vocabulary import number

DATA = Path(__file__).parent / "data" / "feed_categories.yml"
# Every item's brand is the shop's, not the artisan's (docs/marketplace.md, "Brand"): always in Latin letters,
# the same on every item, and no person's name left behind when an artisan's data is erased.
BRAND = "Hunar"
ONE_SIZE = "One Size"  # Google's word for an item made in one size


@lru_cache(maxsize=None)
def _table() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _entry(item: dict) -> dict:
    """The table's row for the item's product: by product, else by the vocabulary's category, else the default."""
    product = product_entry({"product": item.get("product")}) or {}
    table = _table()
    return table["products"].get(product.get("en")) or table["categories"].get(product.get("category")) \
        or table["default"]


def google_category(item: dict) -> int:
    """The Google product taxonomy id (e.g. 673 for Rugs)."""
    return _entry(item)["google"]["id"]


def apparel(item: dict) -> dict:
    """gender, age_group and (when known) size and size_system for clothing and shoes; {} for anything else."""
    wear = _entry(item).get("apparel")
    if not wear:
        return {}
    return {"gender": wear["gender"], "age_group": wear["age_group"], **_size(wear["size"], item.get("size"))}


def _size(kind: str, size) -> dict:
    if kind == "one_size":
        return {"size": ONE_SIZE}
    return _shoe_size(size)


def _shoe_size(size) -> dict:
    """One shoe size and its system ("7", "UK"); {} when the item has none, or several (see `variants`)."""
    if not isinstance(size, dict) or size.get("kind") != "shoe" or len(size.get("values") or ()) != 1:
        return {}
    system = _table()["shoe_size_systems"].get(size.get("system"), "UK")
    return {"size": number(size["values"][0]), "size_system": system}


def google_attributes(item: dict) -> list[tuple[str, object]]:
    """The g: elements: brand, google_product_category, the apparel attributes (size only for apparel), and the
    variant group of one size of several."""
    return [("brand", BRAND), ("google_product_category", google_category(item)), *apparel(item).items(),
            ("item_group_id", item.get("group"))]


def meta_columns(item: dict) -> dict:
    """Meta's columns: brand, google_product_category (Meta maps Google's taxonomy), gender, age_group, size."""
    wear = apparel(item)
    size = f"{wear['size_system']} {wear['size']}" if "size_system" in wear else wear.get("size")
    columns = {"brand": BRAND, "google_product_category": google_category(item),
               "gender": wear.get("gender", ""), "age_group": wear.get("age_group", ""),
               "item_group_id": item.get("group") or ""}
    return {**columns, "size": size} if size else columns


META_COLUMNS = ["google_product_category", "gender", "age_group", "item_group_id"]  # added to Meta's columns


def expanded(items: list[dict]) -> list[dict]:
    """The feed items, a jutti listed in several shoe sizes as one item per size (see `variants`)."""
    return [variant for item in items for variant in variants(item)]


def variants(item: dict) -> list[dict]:
    """One item per shoe size when a listing has several: a feed item has one size, and Google and Meta group the
    sizes by item_group_id (the listing's SKU). How many pairs of each size is not known, so none is claimed."""
    size = item.get("size")
    values = size.get("values") if isinstance(size, dict) and size.get("kind") == "shoe" else None
    if not values or len(values) < 2:
        return [item]
    return [{**item, "sku": f"{item['sku']}-{number(value)}", "group": item["sku"], "quantity": None,
             "size": {**size, "values": [value]}} for value in values]
