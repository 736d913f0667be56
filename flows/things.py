"""Named things in two languages: a product, material, colour, district or craft read from an answer, as a
`Bilingual` (nlu's entity, a number from the numbered list, an entry typed in full, or the artisan's own words)."""
from __future__ import annotations

import re
from typing import Callable

from flows import choices
from flows.answer import Answer
from flows.types import Bilingual, Retry
from flows.words import longest_first, words

NOT_A_NAME = ("amount_of_money", "number", "quantity", "dimensions", "field")  # a name has none of these in it
OWN_WORDS = ("craft", "material")  # lists whose answer may be a name no list holds


def bilingual(entity: dict) -> Bilingual:
    """A lexicon entity as a Bilingual value."""
    return Bilingual(entity["value"], entity.get("value_en") or entity["value"])


def extract(name: str) -> Callable[[Answer], Bilingual | None]:
    """The first entity of this name, for over-answering; of several products, the first that is not also a
    craft or material ("phulkari wale cushion cover" is a cushion cover, phulkari its work)."""

    def find(answer: Answer) -> Bilingual | None:
        found = _products(answer) if name == "product" else answer.entities(name)
        return bilingual(found[0]) if found else None

    return find


def _products(answer: Answer) -> list[dict]:
    """"bans ki tokri": bans is the bamboo, tokri the product."""
    found = answer.entities("product")
    if len(found) < 2:
        return found
    others = set(map(_span, answer.entities("craft") + answer.entities("material")))
    return [entity for entity in found if _span(entity) not in others] or found


def _span(entity: dict) -> tuple:
    return entity.get("start"), entity.get("end")


def from_list(name: str) -> Callable[[Answer], Bilingual | Retry]:
    """An entity of this name, a number from the numbered list, or the list entry typed in full (for a craft or
    material, else the artisan's own words)."""

    def parse(answer: Answer) -> Bilingual | Retry:
        found = extract(name)(answer) or _craft_named_by_product(name, answer) or _listed(name, answer)
        if found is None and name in OWN_WORDS:
            found = own_words(answer)  # a craft or material no list holds is still theirs, in their words
        return found or Retry(name)

    return parse


def _craft_named_by_product(name: str, answer: Answer) -> Bilingual | None:
    """"dari" for the craft: the product names it."""
    product = answer.first("product") if name == "craft" else None
    return bilingual(product) if product else None


def _listed(name: str, answer: Answer) -> Bilingual | None:
    """An entry of the list: picked by its number (a bare number too, for districts), or typed in full."""
    picked = answer.picked(name) or (answer.bare_number() if name == "district" else None)
    return choices.pick(name, picked) if picked else choices.lookup(name, answer.text)


def product(answer: Answer) -> Bilingual | Retry:
    """A product nlu knows, one picked from the list, or a short name of the artisan's own (kept as typed)."""
    found = from_list("product")(answer)
    if not isinstance(found, Retry):
        return found
    return own_words(answer) or found


def own_words(answer: Answer, most: int = 6) -> Bilingual | None:
    """A craft or product named in the artisan's own words, kept as said (Bilingual(their words, None)) for
    staff to name in English: "sarkande ki kursiyan banata hoon" → sarkande ki kursiyan. None for what is not a name:
    a number, a price or size in it, a command, too long."""
    if answer.intent not in (None, "inform") or answer.any_of(*NOT_A_NAME):
        return None
    text = re.sub(r"[\s.,!।?]+$", "", " ".join(answer.text.split()))
    if choices.lookup("field", text):  # "rang", "keemat": the name of a question, not an answer to one
        return None
    text = _cut_prefix(_cut_suffix(text)).strip(" ,.-")
    return Bilingual(text, None) if _a_short_name(text, most) else None


def _a_short_name(text: str, most: int) -> bool:
    return 2 <= len(text) <= 40 and len(text.split()) <= most and not re.search(r"\d|[?@/]", text)


def _cut_suffix(text: str) -> str:
    """"... banata hoon": what is said after the name."""
    lowered = text.lower()
    suffix = next((s for s in longest_first("own_words_suffixes") if lowered.endswith(" " + s)), None)
    return text[: -len(suffix) - 1] if suffix else text


def _cut_prefix(text: str) -> str:
    """"main ...", "i make ...": what is said before the name."""
    lowered = text.lower()
    prefix = next((p for p in longest_first("own_words_prefixes") if lowered.startswith(p + " ")), None)
    return text[len(prefix) + 1:] if prefix else text


def colours(answer: Answer) -> list[Bilingual] | Retry:
    """Every colour named ("laal aur neela"), or one picked from the list."""
    found = extract_colours(answer)
    if found:
        return found
    value = _listed("colour", answer) or _natural_or_metal(answer) or own_words(answer)  # else their words
    return [value] if value else Retry("colour")


def _natural_or_metal(answer: Answer) -> Bilingual | None:
    """Undyed ("koi rang nahi, munj jaisa") is natural; a metal named for the colour is that colour."""
    return _natural(answer.text.lower()) or _metal(answer)


def _natural(lowered: str) -> Bilingual | None:
    if any(phrase in lowered for phrase in words()["natural_colour"]):
        return Bilingual.from_record(words()["natural_colour_value"])
    return None


def _metal(answer: Answer) -> Bilingual | None:
    metal = next(filter(_a_metal, answer.entities("material")), None)
    return Bilingual(metal["value"], metal["value_en"]) if metal else None


def _a_metal(entity: dict) -> bool:
    return entity.get("value_en") in words()["metal_colours"]


def extract_colours(answer: Answer) -> list[Bilingual] | None:
    """Every colour nlu read, each once, in order; its shade kept with it ("gehra laal" is one colour)."""
    return list(dict.fromkeys(map(_shade, answer.entities("colour")))) or None


def _shade(entity: dict) -> Bilingual:
    """A colour with the shade said ("gehra laal", "dark red"), or the colour alone."""
    colour = bilingual(entity)
    if not entity.get("modifier"):
        return colour
    english = f"{entity.get('modifier_en')} {colour.en}" if entity.get("modifier_en") and colour.en else None
    return Bilingual(f"{entity['modifier']} {colour.hi}", english)
