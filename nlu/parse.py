"""parse(): text to Rasa's /model/parse shape with the built-in engine (or a Rasa server)."""
import logging

from .intents import classify
from .lexicon import NOT_LEXICON, compound, correct, english, match_lexicon, name_words, negated, tables
from .measures import extract
from .numbers import find_numbers, tidy
from .tokens import tokenize

log = logging.getLogger(__name__)
EXPECT = ("price", "quantity", "size", "number", "name")
_FIRST = {"पहले", "pehle", "pahle", "pehele"}  # "पहले फोटो भेजो": first = before, not an ordinal
_LISTING_INTENTS = ("sold_out", "withdraw")


def parse(text: str, backend: str | None = None, expect: str | None = None, url: str | None = None,
          step: str | None = None) -> dict:
    """Intent and entities of one message; never raises. `backend`: "builtin" (default) or "rasa" (a Rasa server
    at `url`, asked only when the built-in engine understood nothing and `step` is no open answer: rasa_backend.py).

    `expect` is what the question asked for: "price" (a bare number is rupees), "quantity" (a bare number is
    pieces), "size" (two bare numbers are length and width), "number" ("do", "ek" are numbers), "name" (a
    person's name: no fuzzy lexicon matching), or None.
    """
    if expect not in EXPECT:
        if expect is not None:
            log.warning("nlu.parse: unknown expect=%r ignored", expect)
        expect = None
    if backend == "rasa":
        from .rasa_backend import parse_with_rasa
        return parse_with_rasa(text, url=url, expect=expect, step=step)
    return parse_builtin(text, expect)


def parse_builtin(text: str, expect: str | None = None) -> dict:
    """The built-in engine: no server, no model."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return _parse(text, expect)
    except Exception:  # a bug must not take the bot down: say we did not understand
        log.exception("nlu failed on %r", text[:200])
        return {"text": text, "intent": {"name": "inform", "confidence": 0.0}, "entities": []}


def _parse(text: str, expect: str | None = None) -> dict:
    t_ = tables()
    toks = tokenize(text)
    nums, ords = find_numbers(toks, eager=expect == "number")
    nums = _lexicon_not_number(toks, nums)
    entities, used, rest = extract(toks, nums)
    words = [i for i, t in enumerate(toks) if t.kind != "p"]
    for m in ords:
        if toks[m.i].key in _FIRST and len(words) > 1 and not _ordinal_context(toks, m.j):
            continue
        entities.append(_ent("ordinal", m.value, toks, m.i, m.j))
        used[m.i:m.j] = [True] * (m.j - m.i)
    bare = []
    for m in rest:
        bare.append(_ent("number", tidy(m.value), toks, m.i, m.j))
        used[m.i:m.j] = [True] * (m.j - m.i)
    if expect:
        bare = _expected(expect, bare, entities)
    entities += bare
    keys = [t.key for t in toks]
    ikeys = [t_.polite.get(k, k) for k in keys]
    command = _whole_command(toks, ikeys)
    if not command:
        blocked = _names(toks) | name_words(toks) | {i for i, t in enumerate(toks) if t.raw in NOT_LEXICON}
        found = lexicon_entities(toks, used, fuzzy=expect != "name", blocked=blocked)
        entities = compound(negated(toks, entities + found))
    kinds = {e["entity"] for e in entities}
    intent, conf, extra, ranking = classify(toks, ikeys, used, kinds)
    entities = _one_reading_per_product(entities)
    entities += extra
    if intent == "edit":
        entities = _listing_before_amount(toks, entities)
    entities += _listing_number(intent, toks, entities)
    entities.sort(key=lambda e: (e["start"], -e["end"]))
    return {"text": text, "intent": {"name": intent, "confidence": conf},
            "entities": entities, "intent_ranking": ranking}


# --- issue 17 (lexicon owner): "लाख की चूड़ियां", "lac bangles": लाख/lac alone is the material lac, not 1,00,000.
def _lexicon_not_number(toks, nums):
    """Drop a lone multiplier word that is also a lexicon word and is not followed by money or a unit."""
    t_ = tables()
    out = []
    for m in nums:
        t = toks[m.i]
        if m.j - m.i == 1 and t.kind == "w" and t.key in t_.multiplier and (t.key,) in t_.lexicon:
            nxt = next((x for x in toks[m.j:] if x.kind != "p"), None)
            if nxt is None or not (nxt.key in t_.currency or nxt.key in t_.unit or nxt.kind == "d"):
                continue
        out.append(m)
    return out
# --- end issue 17


def _ent(name, value, toks, i, j, **extra) -> dict:
    return {"entity": name, "value": value, "start": toks[i].start, "end": toks[j - 1].end, **extra}


def _ordinal_context(toks, j: int) -> bool:
    """Is "पहले" at token j-1 an ordinal? Only before वाला/नंबर/listing or a product word."""
    t_ = tables()
    while j < len(toks) and toks[j].kind == "p":
        j += 1
    return j < len(toks) and (toks[j].key in t_.words["ordinal_follower"] or toks[j].key in t_.lexicon_first)


def _expected(expect: str, bare: list[dict], entities: list[dict]) -> list[dict]:
    """Bare numbers read as the answer the question asked for."""
    kinds = {e["entity"] for e in entities}
    if expect == "price" and len(bare) == 1 and "amount_of_money" not in kinds:
        return [bare[0] | {"entity": "amount_of_money", "unit": "INR"}]
    if expect == "quantity" and len(bare) == 1 and "quantity" not in kinds:
        return [bare[0] | {"entity": "quantity", "unit": "piece"}]
    if expect == "size" and len(bare) in (2, 3) and "dimensions" not in kinds:
        value = dict(zip(("length", "width", "height"), (e["value"] for e in bare))) | {"unit": None}
        return [{"entity": "dimensions", "value": value, "start": bare[0]["start"], "end": bare[-1]["end"]}]
    return bare


def _whole_command(toks, ikeys) -> bool:
    """The whole message is a command phrase ("जारी रखें", "jari rakhein"): no lexicon words in it."""
    t_ = tables()
    seq = tuple(ikeys[i] for i, t in enumerate(toks) if t.kind != "p")
    if len(seq) < 2:
        return False
    fill = t_.words["filler"]
    return seq in t_.intent_phrases or tuple(k for k in seq if k not in fill) in t_.intent_phrases


def _names(toks) -> set[int]:
    """Tokens of a person's name: two or more name words together, one of them no lexicon word ("Mohan Lal")."""
    t_ = tables()
    names, i, n, out = t_.person_name, 0, len(toks), set()
    while i < n:
        j = i
        while j < n and toks[j].kind == "w" and toks[j].key in names:
            j += 1
        if j - i >= 2 and any((toks[k].key,) not in t_.lexicon for k in range(i, j)):
            out.update(range(i, j))
        i = max(j, i + 1)
    return out


def _one_reading_per_product(entities: list[dict]) -> list[dict]:
    """"bans ki tokri": with another product named, a word read as both a material (or craft) and a product is
    the material; "phulkari wale cushion cover" is a cushion cover with phulkari work."""
    products = [e for e in entities if e["entity"] == "product"]
    if len(products) < 2:
        return entities
    others = {(e["start"], e["end"]) for e in entities if e["entity"] in ("material", "craft")}
    doubled = [e for e in products if (e["start"], e["end"]) in others]
    if not doubled or len(doubled) == len(products):
        return entities
    return [e for e in entities if not any(e is d for d in doubled)]


def _listing_before_amount(toks, entities: list[dict]) -> list[dict]:
    """"price of 2 is 900": the amount right after "of" names the listing; the amount after it is the price."""
    listing = tables().words["listing_word"]
    money = sorted((e for e in entities if e["entity"] == "amount_of_money"), key=lambda e: e["start"])
    numbers = [e for e in entities if e["entity"] == "number"]
    for e in money:
        before = [t for t in toks if t.end <= e["start"] and t.kind != "p"]
        later = [n for n in numbers if n["start"] > e["end"]]
        if before and before[-1].key in listing and later and isinstance(e["value"], int):
            rest = [x for x in entities if x is not e and x is not later[0]]
            number = {"entity": "number", "value": e["value"], "start": e["start"], "end": e["end"]}
            return rest + [number, {**later[0], "entity": "amount_of_money", "unit": "INR"}]
    return entities


def _listing_number(intent: str, toks, entities: list[dict]) -> list[dict]:
    """The listing a command is about: "2 बिक गया", "2 हटाओ", "2 की कीमत 900 करो"."""
    if intent not in _LISTING_INTENTS and intent != "edit":
        return []
    first = next((t.start for t in toks if t.kind != "p"), None)
    listing = tables().words["listing_word"]
    for e in sorted(entities, key=lambda e: e["start"]):
        if e["entity"] not in ("number", "ordinal") or not isinstance(e["value"], int) or e["value"] < 1:
            continue
        if intent == "edit":
            before = [t for t in toks if t.end <= e["start"] and t.kind != "p"]
            if e["start"] != first and not (before and before[-1].key in listing):
                continue
        return [{"entity": "listing_number", "value": e["value"], "start": e["start"], "end": e["end"]}]
    return []


def lexicon_entities(toks, used: list[bool], fuzzy: bool = True, blocked: set[int] = frozenset()) -> list[dict]:
    """Products, materials, colours, crafts, districts; marks the tokens they use."""
    t_ = tables()
    seq = [i for i, t in enumerate(toks) if t.kind != "p" or t.key not in "-."]
    keys = [correct(toks[i].key) if fuzzy and toks[i].kind == "w" and not used[i] else toks[i].key for i in seq]
    free = [not used[i] and i not in blocked for i in seq]
    out = []
    natural = t_.natural_colour
    for a, b, hit in match_lexicon(keys, free):
        i, j = seq[a], seq[b - 1] + 1
        if hit.get("colour") == natural and b < len(keys) and keys[b] in t_.words["dye_word"]:
            hit = {k: v for k, v in hit.items() if k != "colour"}  # "natural dye" is how it was dyed, not a colour
        for name, value in hit.items():
            ent = _ent(name, value, toks, i, j, value_en=english(name, value))
            if name == "colour" and a > 0 and free[a - 1] and keys[a - 1] in t_.modifier:
                mod = t_.modifier[keys[a - 1]]
                ent.update(start=toks[seq[a - 1]].start, modifier=mod, modifier_en=english("colour", mod))
                used[seq[a - 1]] = True
            out.append(ent)
        for k in range(i, j):
            used[k] = True
    return out
