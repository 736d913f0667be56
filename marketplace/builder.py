"""The listing builder: Hindi and English titles, descriptions and item specifics from the draft's slots.

Everything it writes comes from a field the artisan (or staff) gave: the product, material, colours, size,
price unit, the artisan's own words, their district. Nothing else is claimed (no GI unless phulkari, no
material the artisan did not name). Its vocabulary is data: marketplace/data/builder.yml, read by
marketplace/vocabulary.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from marketplace import maker
from marketplace import vocabulary as vocab
from marketplace.vocabulary import size_cm, size_text, words

# Per-channel limits in characters: eBay's inventory item (title 80, description 4000), Google Merchant
# Center (title 150, description 5000), Meta's catalog (title 200, description 9999).
LIMITS = {
    "ebay": {"title": 80, "description": 4000},
    "google": {"title": 150, "description": 5000},
    "meta": {"title": 200, "description": 9999},
}
TITLE_MAX = LIMITS["google"]["title"]  # the stored title; eBay's shorter one is fitted on the way out
DESCRIPTION_MAX = LIMITS["ebay"]["description"]  # the strictest, so one description serves every channel
ASPECT_NAME_MAX, ASPECT_VALUE_MAX = 40, 50


@dataclass(frozen=True)
class Built:
    """What the builder makes of one listing's fields."""

    title: dict  # {"hi", "en"}, each ≤ TITLE_MAX
    description: dict  # {"hi", "en"}, plain text, each ≤ DESCRIPTION_MAX
    specifics: dict = field(default_factory=dict)  # English item specifics: name -> [values]
    hsn: dict | None = None  # {"code", "note"}: a suggestion, the final code is a CA's call


# --- reading the fields -------------------------------------------------------------------------


def pair(value) -> dict:
    """A {"hi", "en"} pair from a slot value or a bare string (a profile column holds the Hindi name)."""
    if isinstance(value, dict):
        return {"hi": value.get("hi") or None, "en": value.get("en") or None}
    if not value:
        return {"hi": None, "en": None}
    text = str(value)
    return {"hi": None, "en": text} if text.isascii() else {"hi": text, "en": None}


def district(value) -> dict:
    """The artisan's district in both languages, using the Haryana list to fill the missing side."""
    found = pair(value)
    if not found["en"]:
        found["en"] = vocab.table("districts").get(found["hi"])
    if not found["hi"]:
        found["hi"] = vocab.hindi_district().get((found["en"] or "").lower())
    return found


def product_entry(fields: dict) -> dict | None:
    """The builder's data about this product, when it is one Hunar knows."""
    product = pair(fields.get("product"))
    known = vocab.table("products").get((product["en"] or "").lower())
    return known or vocab.product_by_hindi().get(product["hi"])


def colours(fields: dict) -> list[dict]:
    found = fields.get("colours") or fields.get("colour") or []
    return [pair(c) for c in ([found] if isinstance(found, dict) else found) if c]


def colour_names(fields: dict, lang: str) -> list[str]:
    """The colours' names in `lang`, in the artisan's order (a colour without a name in `lang` is left out)."""
    return [c[lang] for c in colours(fields) if c[lang]]


def _english_noun(fields: dict, entry: dict) -> str | None:
    """What the product is called in English: Hunar's name for it, else the name given."""
    return entry.get("en") or pair(fields.get("product"))["en"]


def _place(artisan: dict, lang: str) -> str:
    """"Panipat, Haryana", or just the state when the district is not known."""
    place = district(artisan.get("district"))[lang]
    state = words(lang)["state"]
    return f"{place}, {state}" if place else state


def _join(items: list[str], lang: str) -> str:
    """"red, blue and green" (no item is ever empty)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {words(lang)['and']} " + items[-1]


# --- the pieces of a title ----------------------------------------------------------------------


def _pieces(fields: dict, artisan: dict, lang: str) -> dict:
    """Each part of a title in `lang` (empty when the field does not say it)."""
    return {**_PIECES[lang](fields, product_entry(fields) or {}), "size": size_text(fields.get("size"), lang),
            "place": _place(artisan, lang)}


def _english_pieces(fields: dict, entry: dict) -> dict:
    """Technique, colours ("multicolour" past three), material and noun, as an English title says them."""
    names = [name.lower() for name in colour_names(fields, "en")]
    return {"technique": vocab.technique(entry)["en"],
            "colours": _join(names, "en") if len(names) <= 3 else "multicolour",
            "material": vocab.material_word(pair(fields.get("material")), "en"),
            "noun": _english_noun(fields, entry) or "item"}


def _hindi_pieces(fields: dict, entry: dict) -> dict:
    """The same in Hindi, where technique, colours and material agree with the noun's gender."""
    gender = entry.get("gender", "f")
    return {"technique": vocab.technique(entry)["hi"][gender],
            "colours": _join([vocab.agree(name, gender) for name in colour_names(fields, "hi")], "hi"),
            "material": vocab.material_word(pair(fields.get("material")), "hi", gender),
            "noun": pair(fields.get("product"))["hi"] or entry.get("hi") or words("hi")["item"]}


_PIECES = {"en": _english_pieces, "hi": _hindi_pieces}


def _title(p: dict, lang: str) -> str:
    """"Technique colours material noun, size, from place", leaving out the empty parts."""
    head = " ".join(x for x in (p["technique"], p["colours"], p["material"], p["noun"]) if x)
    place = words(lang)["from"].format(place=p["place"]) if p["place"] else ""
    text = ", ".join(x for x in (head, p["size"], place) if x)
    return text[:1].upper() + text[1:]


def _shorter(p: dict):
    """The title's pieces, then again with one more part left out each time: the state, the place, the size,
    the colours."""
    yield p
    yield {**p, "place": p["place"].split(",")[0]}
    yield {**p, "place": ""}
    yield {**p, "place": "", "size": ""}
    yield {**p, "place": "", "size": "", "colours": ""}


def title(fields: dict, artisan: dict, lang: str = "en", limit: int = TITLE_MAX) -> str:
    """The most complete title that fits `limit`: drop the state, then the place, the size, the colours."""
    for pieces in _shorter(_pieces(fields, artisan, lang)):
        text = _title(pieces, lang)
        if len(text) <= limit:
            return text
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary so the text fits `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:-– ")
    return cut if cut else text[:limit]


# --- descriptions and specifics -----------------------------------------------------------------

FULL_STOP = {"en": ".", "hi": "।"}


def description(fields: dict, artisan: dict, lang: str = "en", limit: int = DESCRIPTION_MAX) -> str:
    """Plain text: the title, who made it where, the facts given, and the artisan's own words."""
    entry = product_entry(fields) or {}
    place = _place(artisan, lang)
    where = {"district": district(artisan.get("district"))[lang], "state": words(lang)["state"]}
    paragraphs = (title(fields, artisan, lang) + FULL_STOP[lang],
                  maker.made_by(artisan, where, lang, entry.get("gender", "f")),
                  entry.get("gi", {}).get(lang), _facts(fields, entry, place, lang), _price_unit(fields, lang),
                  maker.own_words(fields, lang))
    return shorten("\n\n".join(p for p in paragraphs if p), limit)


def _facts(fields: dict, entry: dict, place: str, lang: str) -> str:
    """One line per fact the fields give: material, colours, size, craft; and always the origin."""
    said = words(lang)
    facts = {
        "material": _material_fact(fields, lang),
        "colours": ", ".join(colour_names(fields, lang)),
        "size": _size_fact(fields.get("size"), lang) or shoe_size_text(fields.get("size")),
        "craft": entry.get("craft", {}).get(lang),
        "origin": f"{place}, {said['country']}",
    }
    return "\n".join(said[name].format(value=value) for name, value in facts.items() if value)


def _material_fact(fields: dict, lang: str) -> str | None:
    """The material, and the thread of another one when the artisan named it ("Khadi, with silk thread")."""
    material, thread = pair(fields.get("material"))[lang], pair(fields.get("thread"))[lang]
    return words(lang)["with_thread"].format(material=material, thread=thread) if material and thread else material


def shoe_size_text(size) -> str:
    """A shoe size kept by the bot ({"kind": "shoe", "system": "UK", "values": [7, 8]}) as "UK 7, 8"."""
    if not isinstance(size, dict) or size.get("kind") != "shoe":
        return ""
    sizes = ", ".join(f"{value:g}" for value in size.get("values") or ())
    system = {"IN": "India"}.get(size.get("system"), size.get("system"))  # no feed has an Indian size system
    return f"{system or ''} {sizes}".strip()


def _size_fact(size, lang: str) -> str:
    """"6 × 4 ft (183 × 122 cm)": the English copy adds centimetres for buyers abroad."""
    metric = size_cm(size) if lang == "en" else ""
    return f"{size_text(size, lang)} ({metric})" if metric else size_text(size, lang)


def _price_unit(fields: dict, lang: str) -> str:
    """"Price is per pair." when one price is not for one piece."""
    price = fields.get("price")
    per = price.get("per") if isinstance(price, dict) else None
    unit = vocab.table("per").get(per) if isinstance(per, str) and per != "piece" else None
    return words(lang)["per"].format(per=unit[lang]) if unit else ""


def specifics(fields: dict, artisan: dict) -> dict[str, list[str]]:
    """English item specifics (eBay aspects, feed attributes, B2B specifications); only what was said."""
    entry = product_entry(fields) or {}
    size = fields.get("size")
    return _aspects({
        "Type": [(_english_noun(fields, entry) or "").title()],
        "Material": [(pair(fields.get("material"))["en"] or "").title()],
        "Color": [name.title() for name in colour_names(fields, "en")],
        "Size": [size_text(size, "en", sep=" x ") or shoe_size_text(size)],
        "Dimensions": [size_cm(size, sep=" x ")],
        "Technique": [entry and vocab.technique(entry)["en"]],
        "Craft": [entry.get("craft", {}).get("en")],
        "Handmade": ["Yes"],
        "Country/Region of Manufacture": ["India"],
        "Region": [_place(artisan, "en")],
    })


def _aspects(found: dict[str, list]) -> dict[str, list[str]]:
    """Aspects cut to eBay's limits (names 40, values 50 characters); those without a value left out."""
    return {name[:ASPECT_NAME_MAX]: [value[:ASPECT_VALUE_MAX] for value in values]
            for name, values in found.items() if any(values)}


def hsn(fields: dict) -> dict | None:
    """A suggested HS heading for the product, when Hunar knows the product."""
    entry = product_entry(fields)
    return dict(entry["hsn"]) if entry and entry.get("hsn") else None


def sku(listing_id: int) -> str:
    """Our SKU: letters and digits only (eBay error 25707), well under 50 characters."""
    return f"HUN{listing_id:07d}"


SKU_PATTERN = re.compile(r"^[A-Za-z0-9]{1,50}$")


def build(fields: dict, artisan: dict) -> Built:
    """Everything the listing shows, from its fields and its artisan's profile (name, district)."""
    return Built(
        title={lang: title(fields, artisan, lang) for lang in ("hi", "en")},
        description={lang: description(fields, artisan, lang) for lang in ("hi", "en")},
        specifics=specifics(fields, artisan),
        hsn=hsn(fields),
    )
