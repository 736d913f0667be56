"""Word tables read once from the Rasa NLU YAML files in nlu/data, and lexicon entity matching."""
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from .normalise import key, phrase_key

DATA = Path(__file__).with_name("data")
ENTITIES = ("product", "material", "colour", "craft", "district")
_LABEL = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
_MAX_PHRASE = 4
_DEVANAGARI = re.compile("[\u0900-\u097f]+")


def _items(text: str | None) -> list[str]:
    """Rasa's `examples: |` block to a list of strings."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith("- "):
            out.append(line[2:].strip())
    return out


def read(name: str) -> dict:
    """One data file as {"synonyms": {value: [examples]}, "lookups": {...}, "intents": {...}}."""
    with open(DATA / name, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out = {"synonyms": {}, "lookups": {}, "intents": {}, "regexes": {}}
    for block in doc.get("nlu", []):
        for kind, field in (("synonym", "synonyms"), ("lookup", "lookups"),
                            ("intent", "intents"), ("regex", "regexes")):
            if kind in block:
                out[field].setdefault(str(block[kind]), []).extend(_items(block.get("examples")))
    return out


def unlabel(example: str) -> str:
    """Strip Rasa entity labels: "[कीमत](field) बदलो" -> "कीमत बदलो"."""
    return _LABEL.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), example)


class Tables:
    """Every word table the engine needs, built from the data files."""

    def __init__(self):
        nums, ords = read("numbers.yml"), read("ordinals.yml")
        units, money = read("units.yml"), read("money.yml")
        intents, fields = read("intents.yml"), read("fields.yml")
        mult_words = set(map(_k1, _expand(nums, nums["lookups"]["multiplier"])))
        self.cardinal, self.multiplier, self.fraction, self.prefix = {}, {}, {}, {}
        for value, examples in nums["synonyms"].items():
            for ex in examples:
                k = _k1(ex)
                if value[0] in "+-":
                    self.prefix[k] = float(value)
                elif k in mult_words:
                    self.multiplier[k] = int(value)
                elif "." in value:
                    self.fraction[k] = float(value)
                else:
                    self.cardinal[k] = int(value)
        self.ambiguous = {e.lower() for e in nums["lookups"]["ambiguous_number"]}
        self.ordinal = {_k1(e): int(v) for v, exs in ords["synonyms"].items() for e in exs}
        self.ordinal_suffix = {_k1(e) for e in ords["lookups"]["ordinal_suffix"]}
        syn = lambda d, v: {_k1(e) for e in d["synonyms"][v]}
        self.unit = {}
        for v in ("metre", "centimetre", "foot", "inch", "yard", "kilogram", "gram",
                  "piece", "pair", "dozen", "set"):
            self.unit.update(dict.fromkeys(syn(units, v) | {_k1(v)}, v))
        self.ambiguous_unit = {_k1(e) for e in units["lookups"]["ambiguous_unit"]}
        self.by, self.size_label = syn(units, "by"), {}
        for v in ("length", "width", "height"):
            self.size_label.update(dict.fromkeys(syn(units, v), v))
        self.currency, self.paise = syn(money, "INR"), syn(money, "paise")
        self.per, self.price_suffix = syn(money, "per"), syn(money, "price_suffix")
        self.field = {}
        for v, exs in fields["synonyms"].items():
            self.field.update(dict.fromkeys((_k1(e) for e in exs), v))
        lk = intents["lookups"]
        self.words = {name: {_k1(e) for e in lk[name]} for name in lk}
        self.intent_phrases = {}
        for name, exs in intents["intents"].items():
            if name != "inform":
                for ex in exs:
                    k = phrase_key(unlabel(ex))
                    if k:
                        self.intent_phrases.setdefault(k, name)
        self.lexicon, self.english = {}, {}
        for ent in ENTITIES:
            d = read(ent + "s.yml" if ent != "colour" else "colours.yml")
            for value, exs in d["synonyms"].items():
                self.english[(ent, value)] = exs[0] if exs else value
                for ex in [value] + exs:
                    self.lexicon.setdefault(phrase_key(ex), {})[ent] = value
        base_words = {w for p in self.lexicon for w in p}
        for k, hit in list(self.lexicon.items()):  # plurals and inflections: दरियां, surahiyan, chaadaren
            for ent, value in hit.items():
                if ent in ("product", "material", "colour"):
                    for form in inflections(k[-1], ent):
                        self.lexicon.setdefault(k[:-1] + (form,), {}).setdefault(ent, value)
        colours = read("colours.yml")
        self.natural_colour = next(v for v in colours["synonyms"] if "natural" in colours["synonyms"][v])
        self.modifier = {}
        for v in colours["lookups"]["colour_modifier"]:
            for ex in [v] + colours["synonyms"][v]:
                self.modifier[_k1(ex)] = v
                self.lexicon.get((_k1(ex),), {}).pop("colour", None)
        self.lexicon = {k: v for k, v in self.lexicon.items() if v}
        for k, hit in self.lexicon.items():  # "lakdi ke khilone", "copper bottle": the material inside a product
            if "product" in hit and "material" not in hit and len(k) >= 2:
                for a in range(len(k)):
                    for b in range(len(k), a, -1):
                        sub = self.lexicon.get(k[a:b]) if (a, b) != (0, len(k)) else None
                        if sub and "material" in sub and "product" not in sub and sub["material"] not in _STYLE:
                            hit["material"] = sub["material"]
                            break
                    if "material" in hit:
                        break
        self.known = (set(self.cardinal) | set(self.multiplier) | set(self.fraction)
                      | set(self.prefix) | set(self.ordinal) | set(self.unit) | self.currency
                      | self.paise | set(self.field) | {w for p in self.intent_phrases for w in p}
                      | {w for s in self.words.values() for w in s} | set(self.modifier))
        lex_words = {w for p in self.lexicon for w in p}
        self.known |= lex_words
        self.fuzzy_targets = sorted(w for w in base_words if len(w) >= 6)
        self.lexicon_first = {p[0] for p in self.lexicon}
        self.person_name = {_k1(e) for e in read("names.yml")["lookups"]["person_name"]}
        self.known |= self.person_name | self.words.get("common_word", set())
        self.price_word = {k for k, v in self.field.items() if v == "price"}
        self.polite = _polite_forms({w for p in self.intent_phrases for w in p}
                                    | {w for s in self.words.values() for w in s}, self.intent_phrases)
        self.hindi_word = {int(v): unicodedata.normalize("NFC", exs[0])
                           for v, exs in nums["synonyms"].items() if v.isdigit() and int(v) < 100}


_DEV_CONS = re.compile("[\u0915-\u0939]$")


_STYLE = {"ज़री", "चिंदी"}  # "तिल्ला जूती", "चिंदी दरी" name a kind of product, not what it is made of


def inflections(w: str, ent: str) -> list[str]:
    """Plural and oblique forms of a lexicon word's key: दरि -> दरियां; मटका -> मटके; chadar -> chadaren."""
    out = []
    if "\u0900" <= w[:1] <= "\u097f":
        if w.endswith("\u093f"):                      # -ी (folded to -ि): दरियां, दरियों
            out += [w + "\u092f\u093e\u0902", w + "\u092f\u094b\u0902", w + "\u092f\u093e", w + "\u092f\u0947"]
        elif w.endswith("\u093e"):                    # -ा: मटके, मटकों (colours: नीली)
            out += [w[:-1] + "\u0947", w[:-1] + "\u094b\u0902"]
            if ent == "colour":
                out.append(w[:-1] + "\u093f")
        elif _DEV_CONS.search(w):                      # consonant: चादरें, चादरों
            out += [w + "\u0947\u0902", w + "\u094b\u0902"]
    elif w.isascii() and w.isalpha() and len(w) >= 3:
        if w.endswith("i"):
            out += [w + "yan", w + "ya", w + "yon", w + "an", w + "es", w + "s"]
        elif w.endswith("a"):
            out += [w[:-1] + "e", w[:-1] + "on", w[:-1] + "en", w + "s"]
            if ent == "colour":
                out.append(w[:-1] + "i")
        elif w.endswith("y"):
            out += [w[:-1] + "ies", w + "s"]
        elif w.endswith("e"):
            out += [w + "s"]
        else:
            out += [w + "en", w + "ein", w + "on", w + "s", w + "es"]
    return [key(f) for f in out]


def _k1(word: str) -> str:
    """Key of a one-word example (multi-word examples keep their spaces)."""
    k = phrase_key(word)
    return " ".join(k) if k else word.lower()


_IRREGULAR = {"दो": ("दीजिए", "दीजिये", "दिजिए", "दें", "दीजियेगा"), "करो": ("कीजिए", "कीजिये", "करें", "करिए", "करिये"),
              "लो": ("लीजिए", "लीजिये", "लें"), "do": ("dijiye", "dijie", "dein", "dijiyega"),
              "karo": ("kijiye", "kijie", "karein", "karen", "kariye", "kariyega"), "lo": ("lijiye", "lein")}


def _polite_forms(words: set[str], phrases: dict) -> dict[str, str]:
    """Polite imperatives (-ें, -िए, -िये, -इए; -iye, -ein) mapped to the -ो form the phrases use."""
    out = {}
    for w in words:
        forms = list(_IRREGULAR.get(w, ()))
        if w.endswith("\u094b") and len(w) > 2:            # छोड़ो -> छोड़ें, छोड़िए, छोड़िये
            stem = w[:-1]
            forms += [stem + x for x in ("\u0947\u0902", "\u093f\u090f", "\u093f\u092f\u0947", "\u093f\u090f\u0917\u093e")]
        elif w.endswith("\u0913") and len(w) > 2:          # हटाओ -> हटाएं, हटाइए, हटाइये
            stem = w[:-1]
            forms += [stem + x for x in ("\u090f\u0902", "\u0907\u090f", "\u0907\u092f\u0947", "\u090f")]
        elif w.isascii() and w.endswith("ao") and len(w) > 3:  # hatao -> hataiye, hatayen
            stem = w[:-1]
            forms += [stem + x for x in ("iye", "ie", "yen", "yein", "en", "ein")]
        elif w.isascii() and w.endswith("o") and len(w) > 3:   # chodo -> chodiye, choden
            stem = w[:-1]
            forms += [stem + x for x in ("iye", "ie", "en", "ein", "iyega")]
        for f in forms:
            k = _k1(f)
            if k != w and (k,) not in phrases:
                out.setdefault(k, w)
    return out


def _expand(doc: dict, values: list[str]) -> list[str]:
    """Canonical values plus every synonym that maps to them."""
    out = list(values)
    for v, exs in doc["synonyms"].items():
        if set(exs) & set(values) or v in values:
            out.extend(exs)
    return out


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The tables, built on first use."""
    return Tables()


def english(entity: str, value: str) -> str:
    """English value of a canonical lexicon entry."""
    return tables().english.get((entity, value), value)


_fuzzy_cache: dict[str, str] = {}


def correct(word_key: str) -> str:
    """A close lexicon word for an unknown long word, else the word itself."""
    t = tables()
    if word_key in t.known or len(word_key) < 6 or not (word_key.isalpha() or _DEVANAGARI.fullmatch(word_key)):
        return word_key
    hit = _fuzzy_cache.get(word_key)
    if hit is None:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein
        limit = 1 if len(word_key) < 9 else 2
        found = process.extractOne(word_key, t.fuzzy_targets, scorer=Levenshtein.distance,
                                   score_cutoff=limit)
        hit = found[0] if found and found[0][0] == word_key[0] and not _verb_like(word_key, found[0]) else word_key
        if len(_fuzzy_cache) < 20000:
            _fuzzy_cache[word_key] = hit
    return hit


# Endings of verb forms and particles (ते/ती/ता, ना/ने, -ें, -िए, -ेगा; Roman -iye, -ein, -enge...).
_VERB_ENDINGS = ("\u0947\u0902", "\u093f\u090f", "\u093f\u092f\u0947", "\u0907\u090f", "\u0947\u0917\u093e",
                 "\u0947\u0917\u093f", "\u0947\u0902\u0917\u0947", "\u0924\u0947", "\u0924\u093f", "\u0924\u093e",
                 "\u0928\u093e", "\u0928\u0947", "\u0928\u093f",
                 "iye", "ie", "ein", "en", "enge", "ega", "egi", "na", "ne", "ni", "te", "ti", "ta", "kar", "ke")


def _verb_like(word: str, target: str) -> bool:
    """A word with a verb ending its lexicon neighbour lacks ("rakhein", "banate") is not a typo of it."""
    return any(word.endswith(e) and not target.endswith(e) for e in _VERB_ENDINGS)


def match_lexicon(keys: list[str], free: list[bool]) -> list[tuple[int, int, dict]]:
    """Longest lexicon phrases over free tokens: (first, end, {entity: value})."""
    lex, out, i, n = tables().lexicon, [], 0, len(keys)
    while i < n:
        if not free[i]:
            i += 1
            continue
        for size in range(min(_MAX_PHRASE, n - i), 0, -1):
            if not all(free[i:i + size]):
                continue
            hit = lex.get(tuple(keys[i:i + size]))
            if hit:
                out.append((i, i + size, hit))
                i += size
                break
        else:
            i += 1
    return out


# Words whose key folds onto a lexicon word but are something else: लूंगी (I will take) is no लुंगी.
NOT_LEXICON = frozenset({"लूंगी", "लूँगी", "लूगी", "दिया", "दिये", "दिए", "diya", "diye", "Diya", "Diye"})
_NEGATE_AFTER = frozenset(key(w) for w in {"नहीं", "नहि", "नही", "ना", "कोनी", "मत", "nahi", "nahin", "nai", "nhi", "na",
                                           "koni",
                           "not", "no"})
_NEGATE_BEFORE = frozenset({"not", "no"})
_BETWEEN = frozenset(key(w) for w in {"है", "हैं", "सै", "hai", "h", "he", "है,", "tha", "था", "थी", "thi", "it", "is"})


def negated(toks, entities: list[dict]) -> list[dict]:
    """Drop a lexicon value the message negates when another of its kind replaces it.

    "लाल नहीं, नीला" is blue; "not red, it is maroon" is maroon; "ऊन नहीं सूती" is cotton. A negated value with no
    replacement stays (the intent rules decide what the message is)."""
    lex = [e for e in entities if e["entity"] in ("colour", "material", "product")]
    if len(lex) < 2:
        return entities
    words = [t for t in toks if t.kind != "p"]
    drop = []
    for e in lex:
        after = [t.key for t in words if t.start >= e["end"]][:3]
        before = [t.key for t in toks if t.end <= e["start"]][-1:]
        neg = False
        for k in after:
            if k in _NEGATE_AFTER:
                neg = True
                break
            if k not in _BETWEEN:
                break
        if not neg and before and before[0] in _NEGATE_BEFORE:
            neg = True
        if neg and any(o is not e and o["entity"] == e["entity"] and o["value"] != e["value"] for o in lex):
            drop.append(e)
    if not drop or len(drop) == len([e for e in lex if e["entity"] in {d["entity"] for d in drop}]):
        return entities
    return [e for e in entities if not any(e is d for d in drop)]


_NAME_BEFORE = frozenset(key(w) for w in ("main", "mai", "मैं", "naam", "नाम", "name", "myself", "am", "im"))
_NAME_AFTER = frozenset(key(w) for w in ("hun", "hu", "hoon", "हूं", "हूँ"))


def name_words(toks) -> set[int]:
    """A lexicon word that is also a given name ("Rakhi", "Mala"), said as a name: after "main"/"naam" or before a
    surname ("Rakhi Sharma", "मैं राखी हूँ")."""
    t = tables()
    out = set()
    for i, x in enumerate(toks):
        k = x.key
        if x.kind != "w" or k not in t.person_name or "colour" in t.lexicon.get((k,), {"colour": 1}):
            continue
        prev = toks[i - 1].key if i and toks[i - 1].kind == "w" else None
        nxt = toks[i + 1].key if i + 1 < len(toks) and toks[i + 1].kind == "w" else None
        if prev in _NAME_BEFORE or nxt in _NAME_AFTER or nxt in t.person_name and (nxt,) not in t.lexicon \
                and nxt not in t.by:
            out.add(i)
    return out


def compound(entities: list[dict]) -> list[dict]:
    """Two products that together name one in the lexicon ("phulkari ka kaam ... 3 dupatte": a phulkari dupatta)."""
    t = tables()
    prods = [e for e in entities if e["entity"] == "product"]
    if len(prods) != 2:
        return entities
    a, b = prods
    hit = t.lexicon.get(phrase_key(a["value"] + " " + b["value"]), {}).get("product")
    if not hit:
        return entities
    merged = a | {"value": hit, "value_en": english("product", hit), "end": max(a["end"], b["end"])}
    return [merged if e is a else e for e in entities if e is not b]
