"""The listing builder: Hindi and English titles, descriptions and item specifics from the draft's slots.

Everything it writes comes from a field the artisan (or staff) gave: the product, material, colours, size,
price unit, the artisan's own words, their district. Nothing else is claimed (no GI unless phulkari, no
material the artisan did not name). Its vocabulary is data: marketplace/data/builder.yml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "builder.yml"

# Per-channel limits in characters (docs/marketplace.md, "Text limits per channel").
LIMITS = {
    "ebay": {"title": 80, "description": 4000},
    "google": {"title": 150, "description": 5000},
    "meta": {"title": 200, "description": 9999},
}
TITLE_MAX = LIMITS["google"]["title"]  # the stored title; eBay's shorter one is fitted on the way out
DESCRIPTION_MAX = LIMITS["ebay"]["description"]  # the strictest, so one description serves every channel
ASPECT_NAME_MAX, ASPECT_VALUE_MAX = 40, 50


@lru_cache(maxsize=None)
def vocabulary() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


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
    table = vocabulary()["districts"]
    if found["hi"] and not found["en"]:
        found["en"] = table.get(found["hi"])
    if found["en"] and not found["hi"]:
        found["hi"] = next((hi for hi, en in table.items() if en.lower() == found["en"].lower()), None)
    return found


def product_entry(fields: dict) -> dict | None:
    """The builder's data about this product, when it is one Hunar knows."""
    product = pair(fields.get("product"))
    products = vocabulary()["products"]
    if product["en"] and product["en"].lower() in products:
        return products[product["en"].lower()]
    return next((p for p in products.values() if product["hi"] and p["hi"] == product["hi"]), None)


def colours(fields: dict) -> list[dict]:
    found = fields.get("colours") or fields.get("colour") or []
    if isinstance(found, dict):
        found = [found]
    return [pair(c) for c in found if c]


def number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def size_text(size, lang: str, sep: str = " × ") -> str:
    """"6 × 4 ft" (in Hindi with the Hindi unit); one length alone when there is no width."""
    if not isinstance(size, dict) or size.get("length") in (None, ""):
        return ""
    unit = vocabulary()["units"].get(size.get("unit") or "", {})
    sides = [size["length"], size.get("width"), size.get("height")]
    text = sep.join(number(s) for s in sides if s not in (None, ""))
    return f"{text} {unit.get(lang, '')}".strip()


def size_cm(size, sep: str = " × ") -> str:
    """The same size in whole centimetres, for buyers abroad ("" when it is already metric or unknown)."""
    if not isinstance(size, dict) or size.get("unit") in (None, "centimetre", "metre") or not size.get("length"):
        return ""
    unit = vocabulary()["units"].get(size["unit"])
    if not unit:
        return ""
    sides = [size["length"], size.get("width"), size.get("height")]
    return sep.join(str(round(float(s) * unit["cm"])) for s in sides if s not in (None, "")) + " cm"


def _join(items: list[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {vocabulary()['words'][lang]['and']} " + items[-1]


# --- the pieces of a title ----------------------------------------------------------------------


def _pieces(fields: dict, artisan: dict, lang: str) -> dict:
    """Each part of a title in `lang` (empty when the field does not say it)."""
    vocab = vocabulary()
    entry = product_entry(fields)
    product = pair(fields.get("product"))
    material = pair(fields.get("material"))
    gender = (entry or {}).get("gender", "f")
    technique = vocab["techniques"][(entry or {}).get("technique", "handmade")]
    known_material = vocab["materials"].get((material["en"] or "").lower())
    place = district(artisan.get("district"))
    state = vocab["words"][lang]["state"]
    if lang == "en":
        noun = (entry or {}).get("en") or product["en"] or ""
        if not noun:
            noun = "item"
        names = [c["en"].lower() for c in colours(fields) if c["en"]]
        return {
            "technique": technique["en"],
            "colours": _join(names, "en") if len(names) <= 3 else "multicolour",
            "material": known_material["en"] if known_material else (material["en"] or ""),
            "noun": noun,
            "size": size_text(fields.get("size"), "en"),
            "place": f"{place['en']}, {state}" if place["en"] else state,
        }
    noun = product["hi"] or (entry or {}).get("hi") or vocab["words"]["hi"]["item"]
    feminine = vocab["feminine_colours"] if gender == "f" else {}
    names = [feminine.get(c["hi"], c["hi"]) for c in colours(fields) if c["hi"]]
    return {
        "technique": technique["hi"][gender],
        "colours": _join(names, "hi"),
        "material": known_material["hi"][gender] if known_material else (material["hi"] or ""),
        "noun": noun,
        "size": size_text(fields.get("size"), "hi"),
        "place": f"{place['hi']}, {state}" if place["hi"] else state,
    }


def _title(p: dict, lang: str, *, size: bool = True, place: str | None = "full", colour: bool = True) -> str:
    words = vocabulary()["words"][lang]
    head = " ".join(x for x in (p["technique"], p["colours"] if colour else "", p["material"], p["noun"]) if x)
    parts = [head]
    if size and p["size"]:
        parts.append(p["size"])
    if place == "full":
        parts.append(words["from"].format(place=p["place"]))
    elif place == "short":
        parts.append(words["from"].format(place=p["place"].split(",")[0]))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def title(fields: dict, artisan: dict, lang: str = "en", limit: int = TITLE_MAX) -> str:
    """The most complete title that fits `limit`: drop the state, then the place, the size, the colours."""
    p = _pieces(fields, artisan, lang)
    for options in ({}, {"place": "short"}, {"place": None}, {"place": None, "size": False},
                    {"place": None, "size": False, "colour": False}):
        text = _title(p, lang, **options)
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


def description(fields: dict, artisan: dict, lang: str = "en", limit: int = DESCRIPTION_MAX) -> str:
    """Plain text: the title, who made it where, the facts given, and the artisan's own words."""
    vocab = vocabulary()
    words = vocab["words"][lang]
    entry = product_entry(fields)
    p = _pieces(fields, artisan, lang)
    lines = [title(fields, artisan, lang) + ("." if lang == "en" else "।")]
    name = (artisan.get("name") or "").strip()
    if lang == "en" and not name.isascii():
        name = ""  # no transliteration guesses: the English copy says "an artisan"
    lines.append(words["made_by" if name else "made_in"].format(name=name, place=p["place"]))
    if entry and entry.get("gi"):
        lines.append(entry["gi"][lang])
    facts = []
    material = pair(fields.get("material"))
    if material[lang]:
        facts.append(words["material"].format(value=material[lang]))
    names = [c[lang] for c in colours(fields) if c[lang]]
    if names:
        facts.append(words["colours"].format(value=", ".join(names)))
    if p["size"]:
        metric = size_cm(fields.get("size")) if lang == "en" else ""
        facts.append(words["size"].format(value=p["size"] + (f" ({metric})" if metric else "")))
    if entry:
        facts.append(words["craft"].format(value=entry["craft"][lang]))
    facts.append(words["origin"].format(value=f"{p['place']}, {words['country']}"))
    lines.append("\n".join(facts))
    per = (fields.get("price") or {}).get("per") if isinstance(fields.get("price"), dict) else None
    if per and per != "piece" and per in vocab["per"]:
        lines.append(words["per"].format(per=vocab["per"][per][lang]))
    own = " ".join(str(fields.get("description") or "").split())
    if own and (lang == "hi" or own.isascii()):  # English copy only quotes what is already in Latin letters
        lines.append(words["in_words"].format(text=own))
    return shorten("\n\n".join(lines), limit)


def specifics(fields: dict, artisan: dict) -> dict[str, list[str]]:
    """English item specifics (eBay aspects, feed attributes, B2B specifications); only what was said."""
    entry = product_entry(fields)
    product = pair(fields.get("product"))
    material = pair(fields.get("material"))
    place = district(artisan.get("district"))
    out: dict[str, list[str]] = {}
    if entry or product["en"]:
        out["Type"] = [((entry or {}).get("en") or product["en"]).title()]
    if material["en"]:
        out["Material"] = [material["en"].title()]
    names = [c["en"].title() for c in colours(fields) if c["en"]]
    if names:
        out["Color"] = names
    if size_text(fields.get("size"), "en"):
        out["Size"] = [size_text(fields.get("size"), "en", sep=" x ")]
        if size_cm(fields.get("size")):
            out["Dimensions"] = [size_cm(fields.get("size"), sep=" x ")]
    if entry:
        out["Technique"] = [vocabulary()["techniques"][entry["technique"]]["en"]]
        out["Craft"] = [entry["craft"]["en"]]
    out["Handmade"] = ["Yes"]
    out["Country/Region of Manufacture"] = ["India"]
    out["Region"] = [f"{place['en']}, Haryana" if place["en"] else "Haryana"]
    return {k[:ASPECT_NAME_MAX]: [v[:ASPECT_VALUE_MAX] for v in vs] for k, vs in out.items()}


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
