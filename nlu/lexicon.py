"""Word tables read once from the Rasa NLU YAML files in nlu/data, and lexicon entity matching."""
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from .normalise import phrase_key

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
        colours = read("colours.yml")
        self.modifier = {}
        for v in colours["lookups"]["colour_modifier"]:
            for ex in [v] + colours["synonyms"][v]:
                self.modifier[_k1(ex)] = v
                self.lexicon.get((_k1(ex),), {}).pop("colour", None)
        self.lexicon = {k: v for k, v in self.lexicon.items() if v}
        self.known = (set(self.cardinal) | set(self.multiplier) | set(self.fraction)
                      | set(self.prefix) | set(self.ordinal) | set(self.unit) | self.currency
                      | self.paise | set(self.field) | {w for p in self.intent_phrases for w in p}
                      | {w for s in self.words.values() for w in s} | set(self.modifier))
        lex_words = {w for p in self.lexicon for w in p}
        self.known |= lex_words
        self.fuzzy_targets = sorted(w for w in lex_words if len(w) >= 6)
        self.lexicon_first = {p[0] for p in self.lexicon}
        self.person_name = {_k1(e) for e in read("names.yml")["lookups"]["person_name"]}
        self.known |= self.person_name | self.words.get("common_word", set())
        self.price_word = {k for k, v in self.field.items() if v == "price"}
        self.polite = _polite_forms({w for p in self.intent_phrases for w in p}
                                    | {w for s in self.words.values() for w in s}, self.intent_phrases)
        self.hindi_word = {int(v): unicodedata.normalize("NFC", exs[0])
                           for v, exs in nums["synonyms"].items() if v.isdigit() and int(v) < 100}


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
