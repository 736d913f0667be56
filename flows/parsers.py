"""Parsers: each takes an Answer and returns a slot value or a Retry(reason); extractors return a value or None."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from flows import choices
from flows.answer import DIGITS, Answer
from flows.types import Inbound, Retry

WORDS = Path(__file__).parent / "words.yml"
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)  # an Inbound needs a time; parsers never read it
LENGTH_UNITS = {"metre", "centimetre", "foot", "inch", "yard"}
COUNT_UNITS = {"piece", "pair", "dozen", "set", "kilogram", "kg", None}
UNIT_NAMES = {"kg": "kilogram", "meter": "metre"}


@lru_cache(maxsize=None)
def words() -> dict[str, list[str]]:
    """Small word lists the engine needs beyond nlu's entities (name prefixes, language requests)."""
    return yaml.safe_load(WORDS.read_text(encoding="utf-8"))


def bilingual(entity: dict) -> dict[str, str]:
    """A lexicon entity as the stored {"hi", "en"} value."""
    return {"hi": entity["value"], "en": entity.get("value_en") or entity["value"]}


def adds(answer: Answer) -> bool:
    """"hara bhi daalo", "also green": a value added to those given, not instead of them."""
    lowered = f" {answer.text.lower()} "
    return any(f" {word} " in lowered for word in words()["adding"])


def yes_no(answer: Answer) -> bool | Retry:
    if answer.intent == "affirm":
        return True
    if answer.intent == "deny":
        return False
    if re.sub(r"[\s.,!।🙏]+$", "", answer.text.lower()) in words()["yes_words"]:
        return True
    return Retry("yes_no")


def says_send(answer: Answer) -> bool:
    """"bhej do", "bhej dijiye", "submit": send the listing (nlu reads these as plain text)."""
    text = " ".join(answer.text.lower().replace(",", " ").replace("।", " ").split())
    return text in words()["send"]


def person_name(answer: Answer) -> str | Retry:
    """The artisan's name, without "mera naam ... hai" around it."""
    text = re.sub(r"[\s.,!।]+$", "", answer.text)
    lowered = text.lower()
    for prefix in sorted(words()["name_prefixes"], key=len, reverse=True):
        if lowered.startswith(prefix + " "):
            text = text[len(prefix):]
            break
    for suffix in words()["name_suffixes"]:
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)]
            break
    text = " ".join(text.split())
    if not text or len(text) > 40 or re.search(r"\d|[?@/]", text) or len(text.split()) > 4:
        return Retry("name")
    return text.title() if text.isascii() else text


@lru_cache(maxsize=None)
def _name_cue() -> re.Pattern:
    """"mera naam X", "my name is X": a cue, then up to three words of the name."""
    cues = "|".join(re.escape(c) for c in sorted(words()["name_cues"], key=len, reverse=True))
    return re.compile(rf"(?:{cues})\s+(?:है\s+|hai\s+|is\s+)?([^\s,.।!?]+(?:\s+[^\s,.।!?]+){{0,2}})", re.IGNORECASE)


def name_in(answer: Answer) -> str | None:
    """A name said inside a longer message ("haan ji, mera naam Kamla hai", "namaste, my name is Kamla Devi",
    "main Jind se Rajbala", "this is Ramesh from Yamunanagar")."""
    match = _name_cue().search(answer.text)
    if not match:
        return _introduced_name(answer)
    words_ = []
    for word in match.group(1).split():
        if word.lower() in words()["name_ends"]:
            break
        words_.append(word)
    name = " ".join(words_)
    if not name or re.search(r"\d", name):
        return None
    return name.title() if name.isascii() else name


def _introduced_name(answer: Answer) -> str | None:
    """The name after "main"/"this is", or after a district and its "from" word: up to three words that are
    neither known words nor part of something nlu read (a district, a craft, a product)."""
    lists = words()
    text = answer.text
    spans = [(e["start"], e["end"], e.get("entity")) for e in answer.parse.get("entities") or () if "start" in e]
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\s,.।!?()]+|[,.।!?()]", text)]

    def entity_at(start: int) -> str | None:
        return next((kind for a, b, kind in spans if a <= start < b), None)

    for n, (_, _, word) in enumerate(tokens):
        after_district = word.lower() in lists["name_from"] and n and entity_at(tokens[n - 1][0]) == "district"
        if word.lower() not in lists["name_triggers"] and not after_district:
            continue
        name: list[str] = []
        for start, _, token in tokens[n + 1:]:
            kind, lowered = entity_at(start), token.lower()
            if not name and (kind == "district" or lowered in lists["name_from"] or lowered in lists["name_between"]):
                continue  # "main Fatehabad ton Gurpreet": the district and its "from" come first
            if kind or lowered in lists["not_names"] or not re.fullmatch(r"[^\W\d_]+|[\u0900-\u097F]+", token):
                break
            name.append(token)
            if len(name) == 3:
                break
        if name and not any(ch.isdigit() for ch in "".join(name)):
            found = " ".join(name)
            return found.title() if found.isascii() else found
    return None


def from_list(name: str) -> Callable[[Answer], Any]:
    """An entity of this name, a number from the numbered list, or the list entry typed in full."""

    def parse(answer: Answer) -> dict | Retry:
        found = extract(name)(answer)
        if found:
            return found
        if name == "craft" and answer.first("product"):  # "dari" for the craft: the product names it
            return bilingual(answer.first("product"))
        picked = answer.picked(name) or (answer.bare_number() if name == "district" else None)
        value = choices.pick(name, picked) if picked else choices.lookup(name, answer.text)
        if value is None and name in ("craft", "material"):
            value = own_words(answer)  # a craft or material no list holds is still theirs, in their words
        return value or Retry(name)

    return parse


def own_words(answer: Answer, most: int = 6) -> dict | None:
    """A craft or product named in the artisan's own words, kept as said ({"hi": their words, "en": None}) for
    staff to name in English: "sarkande ki kursiyan banata hoon" → sarkande ki kursiyan. None for what is not a name:
    a number, a price or size in it, a command, too long."""
    if answer.intent not in (None, "inform") or any(
            answer.first(kind) for kind in ("amount_of_money", "number", "quantity", "dimensions", "field")):
        return None
    text = re.sub(r"[\s.,!।?]+$", "", " ".join(answer.text.split()))
    if choices.lookup("field", text):  # "rang", "keemat": the name of a question, not an answer to one
        return None
    lowered = text.lower()
    for suffix in sorted(words()["own_words_suffixes"], key=len, reverse=True):
        if lowered.endswith(" " + suffix):
            text, lowered = text[: -len(suffix) - 1], lowered[: -len(suffix) - 1]
            break
    for prefix in sorted(words()["own_words_prefixes"], key=len, reverse=True):
        if lowered.startswith(prefix + " "):
            text = text[len(prefix) + 1:]
            break
    text = text.strip(" ,.-")
    if not (2 <= len(text) <= 40) or len(text.split()) > most or re.search(r"\d|[?@/]", text):
        return None
    return {"hi": text, "en": None}


def extract(name: str) -> Callable[[Answer], Any]:
    """The first entity of this name, as {"hi", "en"}, for over-answering; of several products, the first that
    is not also a craft or material ("phulkari wale cushion cover" is a cushion cover, phulkari its work)."""

    def find(answer: Answer) -> dict | None:
        found = answer.entities(name)
        if name == "product" and len(found) > 1:  # "bans ki tokri": bans is the bamboo, tokri the product
            others = {(e.get("start"), e.get("end")) for kind in ("craft", "material") for e in answer.entities(kind)}
            found = [e for e in found if (e.get("start"), e.get("end")) not in others] or found
        return bilingual(found[0]) if found else None

    return find


def colours(answer: Answer) -> list[dict] | Retry:
    """Every colour named ("laal aur neela"), or one picked from the list."""
    found = extract_colours(answer)
    if found:
        return found
    picked = answer.picked("colour")
    value = choices.pick("colour", picked) if picked else choices.lookup("colour", answer.text)
    value = value or _natural_or_metal(answer) or own_words(answer)  # else their words, for staff to name
    return [value] if value else Retry("colour")


def _natural_or_metal(answer: Answer) -> dict | None:
    """Undyed ("koi rang nahi, munj jaisa") is natural; a metal named for the colour is that colour."""
    lowered = answer.text.lower()
    if any(phrase in lowered for phrase in words()["natural_colour"]):
        return dict(words()["natural_colour_value"])
    metal = next((e for e in answer.entities("material") if e.get("value_en") in words()["metal_colours"]), None)
    return {"hi": metal["value"], "en": metal["value_en"]} if metal else None


def extract_colours(answer: Answer) -> list[dict] | None:
    found: list[dict] = []
    for entity in answer.entities("colour"):
        value = bilingual(entity)
        if value not in found:
            found.append(value)
    return found or None


def _money(answer: Answer) -> dict | None:
    entity = answer.first("amount_of_money")
    if not entity:
        return None
    return {"amount": _whole(entity["value"]), "per": entity.get("per") or "piece"}


@lru_cache(maxsize=None)
def _taken_back() -> re.Pattern:
    """An amount followed by a "not" ("250 nahi"), the words from words.yml."""
    nots = "|".join(re.escape(w) for w in words()["taken_back"])
    return re.compile(rf"(\d[\d,]*)\s*(?:rs|rupaye|rupay|₹)?\s*(?:{nots})(?!\w)", re.IGNORECASE)


def _not_taken_back(answer: Answer) -> dict | None:
    """"price 250 nahi 300 h", "450 hai, 350 nahi": of two amounts, the one not taken back."""
    amounts = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", answer.text.translate(DIGITS))]
    taken_back = {int(m.group(1).replace(",", "")) for m in _taken_back().finditer(answer.text.translate(DIGITS))}
    left = [a for a in amounts if a not in taken_back]
    if len(amounts) == 2 and taken_back and len(left) == 1:
        money = answer.first("amount_of_money") or {}
        return {"amount": left[0], "per": money.get("per") or "piece"}
    return None


def priced_count(answer: Answer) -> dict | None:
    """At the price question, "650 jodi" is ₹650 a pair (nlu, not knowing the question, reads a count)."""
    quantities = [e for e in answer.entities("quantity") if e.get("measure") != "content"]
    if len(quantities) != 1 or answer.entities("number") or answer.first("amount_of_money"):
        return None
    entity = quantities[0]
    per = UNIT_NAMES.get(entity.get("per") or entity.get("unit"), entity.get("per") or entity.get("unit"))
    if per not in ("pair", "dozen", "set", "kilogram", "metre", "piece"):
        return None
    amount = entity.get("count") if entity.get("count") is not None else entity["value"]
    return {"amount": _whole(amount), "per": per}


def _whole(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def _numbers(answer: Answer) -> list[float]:
    return [float(e["value"]) for e in answer.entities("number") if isinstance(e.get("value"), (int, float))]


def rupees(low: int, high: int) -> Callable[[Answer], Any]:
    """A price in rupees, per piece unless said otherwise ("200 rupay meter"); a bare number is rupees here."""

    def parse(answer: Answer) -> dict | Retry:
        price = _not_taken_back(answer) or _money(answer) or priced_count(answer)
        if price is None:
            numbers = _numbers(answer)
            if not numbers:
                return Retry("price")
            price = {"amount": _whole(numbers[0]), "per": "piece"}
            per = answer.first("quantity")
            if per and per.get("unit") in LENGTH_UNITS:
                price["per"] = per["unit"]
        if price["amount"] < low:
            return Retry("price_low", {"low": low})
        if price["amount"] > high:
            return Retry("price_high")
        return price

    return parse


def doubtful_price(answer: Answer) -> bool:
    """A price worth reading back: a thousand or more, and nlu was unsure of it or it was said only in words
    ("gyarah so", "saadhe paanch hazaar"), where one misheard word is a wrong zero."""
    money = answer.first("amount_of_money") or answer.first("number") or {}
    if not isinstance(money.get("value"), (int, float)) or money["value"] < 1000:
        return False  # below a thousand a slip costs little, and the summary says every price in words anyway
    return bool(money.get("uncertain")) or not re.search(r"[0-9\u0966-\u096f]", answer.text)


def extract_price(answer: Answer) -> dict | None:
    price = _money(answer)
    return price if price and 10 <= price["amount"] <= 500_000 else None


def size(answer: Answer) -> dict | Retry:
    """Length × width with a unit ("6 bai 4 feet"), or one length ("2.5 meter"); without a unit ("6 bai 4"),
    a Retry that asks for the unit and carries the numbers (see `size_in_unit`)."""
    found = extract_size(answer)
    if found:
        return found
    unitless = _dimensions(answer)
    if unitless:
        return Retry("size_unit", {"length": unitless["length"], "width": unitless["width"]})
    numbers = _numbers(answer)
    if len(numbers) >= 2:
        return Retry("size_unit", {"length": _whole(numbers[0]), "width": _whole(numbers[1])})
    return Retry("size")


def size_in_unit(numbers: dict, text: str) -> dict | None:
    """The unit alone ("feet", "meter") after "6 bai 4": nlu reads the numbers and the unit together."""
    from nlu import parse  # flows may ask nlu for a step-specific reading

    fragment = f"{numbers['length']}x{numbers['width']} {text}"
    return extract_size(Answer(Inbound(EPOCH, text=fragment), parse(fragment, expect="size")))


def _dimensions(answer: Answer) -> dict | None:
    entity = answer.first("dimensions")
    if not (entity and isinstance(entity.get("value"), dict)):
        return None
    value = entity["value"]
    found = {"length": _whole(value["length"]), "width": _whole(value["width"]), "unit": value.get("unit")}
    if value.get("height"):
        found["height"] = _whole(value["height"])
    return found


def extract_size(answer: Answer) -> dict | None:
    """A size with its unit; "6 bai 4" alone is left for the size question, which asks feet or metres."""
    found = _dimensions(answer)
    if found:
        return found if found["unit"] else None
    for entity in answer.entities("quantity"):
        if entity.get("unit") in LENGTH_UNITS:
            return {"length": _whole(entity["value"]), "width": None, "unit": entity["unit"]}
    return None


def size_in_words(answer: Answer) -> str | None:
    """A size that is not a measure, in the artisan's words: shoe numbers, free or kids size, S/M/L, litres."""
    text = " ".join(answer.text.split())
    lowered = f" {text.lower()} "
    if 1 <= len(text) <= 60 and (any(f" {word} " in lowered or f"{word} " in lowered.lstrip()
                                     for word in words()["size_words"])
                                 or re.fullmatch(r"(?:[smlx]{1,3}|xxl)(?:\s*[,/-]\s*(?:[smlx]{1,3}|xxl))*", text.lower())):
        return text
    return None


def count(answer: Answer) -> int | Retry:
    """How many are ready to sell: a bare number here, or "5 piece", "bees jodi", "50 meter"."""
    found = extract_count(answer, COUNT_UNITS | {"metre"})
    if found:
        return found
    if answer.first("amount_of_money") or answer.first("dimensions"):
        return Retry("quantity")
    numbers = [n for n in _numbers(answer) if n.is_integer()]
    if len(numbers) == 1 and 1 <= numbers[0] <= 10_000:
        return int(numbers[0])
    return Retry("quantity")


def extract_count(answer: Answer, units=COUNT_UNITS) -> int | None:
    """How many, in the unit said ("bees jodi" → 20; the unit is read by `count_unit`). Metres count only when
    the quantity is asked ("50 meter" then); elsewhere they are a size."""
    for entity in answer.entities("quantity"):
        if entity.get("measure") == "content":  # "4 kilo rui" inside a razai: what it is made of, not stock
            continue
        if entity.get("per") and entity.get("count") is not None:  # "pachas darjan": 50, counted in dozens
            number = float(entity["count"])
        elif entity.get("unit") in units:
            number = float(entity["value"])
        else:
            continue
        if number.is_integer() and 1 <= number <= 10_000:
            return int(number)
        return None
    return None


def count_before_product(answer: Answer) -> int | None:
    """A bare number right before the product is how many there are ("3 panja dari h", "do kambal")."""
    product = answer.first("product")
    if not product or "start" not in product:
        return None
    for entity in answer.entities("number"):
        gap = answer.text[entity.get("end", -99):product["start"]]
        if 0 <= len(gap) <= 12 and len(gap.split()) <= 1 and float(entity["value"]).is_integer() \
                and 1 <= entity["value"] <= 10_000:
            return int(entity["value"])
    return None


def count_unit(answer: Answer) -> str | None:
    """The unit a quantity was counted in ("pair", "dozen", "set", "kilogram", "metre"), None for pieces."""
    for entity in answer.entities("quantity"):
        if entity.get("measure") == "content":
            continue
        unit = entity.get("per") or entity.get("unit")
        if unit in COUNT_UNITS | {"metre"}:
            unit = UNIT_NAMES.get(unit, unit)
            return None if unit == "piece" else unit
    return None


def description(answer: Answer) -> str | Retry:
    """A few words in the artisan's own words."""
    text = " ".join(answer.text.split())
    if len(text) < 3:
        return Retry("description")
    return text[:500]


def product(answer: Answer) -> dict | Retry:
    """A product nlu knows, one picked from the list, or a short name of the artisan's own (kept as typed)."""
    found = from_list("product")(answer)
    if not isinstance(found, Retry):
        return found
    return own_words(answer) or found
