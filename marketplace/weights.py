"""What a listing weighs packed, for postage: what staff or the artisan said, else the product's default.

Kept in Listing.fields["weight_kg"] (staff change it on the helpdesk's listing card). A weight the artisan gave in
the draft ("2 kilo", fields["weight"] as {"amount", "unit"}) is used too. Defaults are the schedule's `weights`.
"""
from __future__ import annotations

from dataclasses import dataclass

from marketplace import vocabulary

GRAMS = ("gram", "g", "gm")
MAX_KG = 70.0  # heavier than any parcel a post office takes: a typo, not a weight


@dataclass(frozen=True)
class Weight:
    kg: float
    source: str  # "listing" (staff or the artisan said), "product", "category" or "default"
    fragile: bool = False


def declared(fields: dict) -> float | None:
    """The weight in kg the listing's fields give, or None."""
    given = fields.get("weight_kg")
    if given in (None, "") and isinstance(fields.get("weight"), dict):
        return _from_measure(fields["weight"])
    return _kg(given)


def _from_measure(measure: dict) -> float | None:
    try:
        amount = float(measure.get("amount", measure.get("value")))
    except (TypeError, ValueError):
        return None
    return _kg(amount / 1000 if (measure.get("unit") or "") in GRAMS else amount)


def _kg(value) -> float | None:
    try:
        kg = float(value)
    except (TypeError, ValueError):
        return None
    return kg if 0 < kg <= MAX_KG else None


def weight_of(product: dict | None, fields: dict, schedule: dict) -> Weight:
    """The listing's weight and where it came from; fragile when its product or category is in the list."""
    table = schedule.get("weights") or {}
    name, category = product_names(product)
    fragile = bool({name, category} & set(table.get("fragile") or ()))
    said = declared(fields)
    if said is not None:
        return Weight(said, "listing", fragile)
    for source, key, found in (("product", name, table.get("products")),
                               ("category", category, table.get("categories"))):
        if key and key in (found or {}):
            return Weight(float(found[key]), source, fragile)
    return Weight(float(table.get("default_kg") or 1.0), "default", fragile)


def product_names(product) -> tuple[str | None, str | None]:
    """The product's English name (the vocabulary's, found by the Hindi when needed) and its builder category."""
    product = product if isinstance(product, dict) else {"hi": product}
    entry = (vocabulary.table("products").get((product.get("en") or "").lower())
             or vocabulary.product_by_hindi().get(product.get("hi")) or {})
    name = (entry.get("en") or product.get("en") or "").lower() or None
    return name, entry.get("category")


def valid(text: str) -> float | None:
    """A weight staff typed ("2", "2.5 kg", "800 g") in kg, or None when it is not one."""
    text = (text or "").strip().lower().replace(",", ".")
    unit = next((u for u in ("kg", "kilo", "gm", "g") if text.endswith(u)), "")
    try:
        number = float(text[: len(text) - len(unit)].strip())
    except ValueError:
        return None
    return _kg(number / 1000 if unit in ("g", "gm") else number)
