"""The words listings are written with (marketplace/data/builder.yml), and sizes said in them, in Hindi and English."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "builder.yml"


@lru_cache(maxsize=None)
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def table(name: str) -> dict:
    """One table of the vocabulary: products, techniques, materials, units, per, districts."""
    return _data()[name]


def words(lang: str) -> dict:
    """The sentence pieces of titles and descriptions in `lang`."""
    return _data()["words"][lang]


@lru_cache(maxsize=None)
def product_by_hindi() -> dict:
    """Hindi product name → the product's entry (the first, should two share a name)."""
    return {entry["hi"]: entry for entry in reversed(table("products").values())}


@lru_cache(maxsize=None)
def hindi_district() -> dict:
    """A district's English name in lower case → its Hindi name."""
    return {en.lower(): hi for hi, en in reversed(table("districts").items())}


def agree(adjective: str, gender: str = "m", number: str = "sg") -> str:
    """A Hindi adjective (each word of it, "dark blue" too) in the form that agrees with a noun's gender and
    number, by the `agreement` table of builder.yml (काला/काली/काले); adjectives without its ending do not change."""
    rule = table("agreement")
    ending, wanted = rule["ending"], rule[f"{gender}_{number}"]
    return " ".join("-".join(part[:-len(ending)] + wanted if part.endswith(ending) else part
                             for part in word.split("-")) for word in adjective.split())


def technique(entry: dict) -> dict:
    """How the product is made ({"en", "hi": {gender: ...}}); handmade when Hunar does not know the product."""
    return table("techniques")[entry.get("technique", "handmade")]


def material_word(material: dict, lang: str, gender: str = "f") -> str:
    """A material as a title says it: the vocabulary's adjective (in Hindi agreeing with the noun), else as given."""
    known = table("materials").get((material["en"] or "").lower())
    if not known:
        return material[lang] or ""
    return known["en"] if lang == "en" else known["hi"][gender]


# --- sizes --------------------------------------------------------------------------------------


def number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _sides(size: dict) -> list:
    """The sides the size gives: its length, then its width and height when there are any."""
    return [side for side in (size["length"], size.get("width"), size.get("height")) if side not in (None, "")]


def size_text(size, lang: str, sep: str = " × ") -> str:
    """"6 × 4 ft" (in Hindi with the Hindi unit); one length alone when there is no width."""
    if not isinstance(size, dict) or size.get("length") in (None, ""):
        return ""
    unit = table("units").get(size.get("unit") or "", {})
    return f"{sep.join(number(side) for side in _sides(size))} {unit.get(lang, '')}".strip()


def size_cm(size, sep: str = " × ") -> str:
    """The same size in whole centimetres, for buyers abroad ("" when it is already metric or unknown)."""
    unit = _imperial_unit(size)
    if not unit:
        return ""
    return sep.join(str(round(float(side) * unit["cm"])) for side in _sides(size)) + " cm"


def _imperial_unit(size) -> dict | None:
    """The unit of a size with a length in feet, inches or yards (None for metric, unknown or no size)."""
    if not isinstance(size, dict) or size.get("unit") in (None, "centimetre", "metre") or not size.get("length"):
        return None
    return table("units").get(size["unit"])
