"""Intent of a message: command phrases from intents.yml, a few rules, else `inform`."""
from .lexicon import tables
from .tokens import Token

PUNCT = set(".,!।॥:;-'\"()[]{}…~_|/\\")
_MAX = 5
# Which intent wins when two cover the same number of words.
PRIORITY = ("language", "delete_my_data", "withdraw", "edit", "sold_out", "stop", "cancel", "human", "restart",
            "help", "back", "skip", "deny", "done", "affirm", "my_listings", "new_listing",
            "thanks", "greet")
_RANK = {name: i for i, name in enumerate(PRIORITY)}


def classify(toks: list[Token], keys: list[str], used: list[bool],
             kinds: set[str] = frozenset()) -> tuple[str, float, list[dict], list]:
    """(intent, confidence, extra entities, ranking) for a tokenized message; `kinds`: entity names found."""
    t_ = tables()
    seq = [i for i, t in enumerate(toks) if not (t.kind == "p" and (t.key in PUNCT or t.key == "?"))]
    if not seq:
        if any(t.key == "?" for t in toks):
            return "help", 0.9, [], []
        return "inform", 0.05, [], []
    fill = t_.words["filler"]
    whole = tuple(keys[i] for i in seq)
    bare = tuple(k for k in whole if k not in fill) or whole
    field = _field(toks, seq, keys)
    lang = _language(toks, seq, keys, used)
    if lang:
        return "language", 0.95, [lang], [{"name": "language", "confidence": 0.95}]
    for cand in (whole, bare):
        name = t_.intent_phrases.get(cand)
        if name and not any(used[i] for i in seq):
            extra = [field[1]] if name == "edit" and field else []
            return name, 0.97, extra, [{"name": name, "confidence": 0.97}]
    cover = _phrases(seq, keys, used)
    ruled = _rules(seq, keys, field, any(used[i] for i in seq), kinds)
    neutral = t_.words["function_word"] | fill
    n_used = sum(1 for i in seq if used[i])
    n_neutral = sum(1 for i in seq if not used[i] and keys[i] in neutral and i not in cover)
    counts: dict[str, int] = {}
    for name in cover.values():
        counts[name] = counts.get(name, 0) + 1
    extra = []
    if ruled:
        name = ruled
        counts[name] = max(counts.values(), default=0) + 1
        if name == "edit" and field:
            extra = [field[1]]
    elif counts and max(counts.values()) >= n_used:
        name = min(counts, key=lambda x: (-counts[x], _RANK.get(x, 99)))
    else:
        name = "inform"
    if name == "inform":
        covered = n_used + n_neutral
        conf = 0.45 + 0.5 * covered / len(seq) if n_used else 0.1 + 0.2 * n_neutral / len(seq)
    else:
        covered = min(len(seq), counts[name] + n_neutral + (n_used if ruled else 0))
        conf = 0.5 + 0.45 * covered / len(seq)
    ranking = sorted(({"name": k, "confidence": round(0.5 + 0.45 * v / len(seq), 3)}
                      for k, v in counts.items() if k != name), key=lambda r: -r["confidence"])
    return name, round(min(conf, 0.96), 3), extra, [{"name": name, "confidence": round(conf, 3)}] + ranking[:3]


def _phrases(seq: list[int], keys: list[str], used: list[bool]) -> dict[int, str]:
    """Longest intent phrases over words not used by entities: {token index: intent}."""
    phrases, out, a = tables().intent_phrases, {}, 0
    while a < len(seq):
        for size in range(min(_MAX, len(seq) - a), 0, -1):
            idx = seq[a:a + size]
            if any(used[i] for i in idx):
                continue
            name = phrases.get(tuple(keys[i] for i in idx))
            if name:
                out.update(dict.fromkeys(idx, name))
                a += size
                break
        else:
            a += 1
    return out


def _field(toks, seq, keys) -> tuple[int, dict] | None:
    """The first listing field named in the message ("कीमत" -> price)."""
    fields = tables().field
    for i in seq:
        if keys[i] in fields:
            t = toks[i]
            return i, {"entity": "field", "value": fields[keys[i]], "start": t.start, "end": t.end}
    return None


def _language(toks, seq, keys, used) -> dict | None:
    """"English please", "angrezi mein", "हिंदी में बात करें": the language to talk in."""
    w = tables().words
    en, hi = w["language_en"], w["language_hi"]
    said = [i for i in seq if keys[i] in en or keys[i] in hi]
    if len(said) != 1 or len(seq) > 8:
        return None
    ok = w["language_context"] | w["filler"] | w["function_word"]
    if any(keys[i] not in ok or used[i] for i in seq if i != said[0]):
        return None
    t = toks[said[0]]
    return {"entity": "language", "value": "en" if keys[said[0]] in en else "hi", "start": t.start, "end": t.end}


_VALUE_OF = {"price": {"amount_of_money"}, "quantity": {"quantity"}, "size": {"dimensions", "quantity"},
             "colour": {"colour"}, "material": {"material"}, "product": {"product"}, "district": {"district"},
             "craft": {"craft"}}


def _rules(seq, keys, field, has_value: bool, kinds=frozenset()) -> str | None:
    """Intents that need two kinds of word: edit a field, delete data, withdraw a listing."""
    w = tables().words
    ks = {keys[i] for i in seq}
    if ks & w["delete_verb"]:
        return "delete_my_data" if ks & w["data_word"] else "withdraw"
    if field and (ks & w["edit_verb"] or ks & w["wrong_word"] or has_value and ks & w["set_verb"]):
        return "edit"
    value = field and kinds & _VALUE_OF.get(field[1]["value"], set())
    described = ks & w["possessive"]  # "इसकी कीमत 500 रुपये है" describes; "कीमत 500" sets
    if value and (field[1]["value"] == "price" and not described or ks & w["negation"]):
        return "edit"  # "price 1500"; "नहीं, कीमत 1500 है" (a correction)
    if ks & w["edit_verb"] and not ks & w["negation"]:
        return "edit"
    return None
