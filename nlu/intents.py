"""Intent of a message: command phrases from intents.yml, a few rules, else `inform`."""
from .lexicon import tables
from .normalise import key
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
    cue = _cues(seq, keys, kinds, field)
    if cue:
        extra = [field[1]] if cue == "edit" and field else []
        return cue, 0.9, extra, [{"name": cue, "confidence": 0.9}]
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
        if name == "thanks" and counts.get("greet") == counts[name] \
                and all(keys[i] == "🙏" for i, v in cover.items() if v == "thanks"):
            name = "greet"  # "hii 🙏", "राम राम 🙏": folded hands with a greeting greet
    else:
        name = "inform"
    if name != "inform" and not ruled and _outweighed(name, seq, keys, used, cover, neutral, kinds):
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


# --- issue 17: commands said in other words. Each cue needs words of two kinds ("kisi" + "baat": a person), so one
# word in a description does not make a command. Word lists: the cue_* lookups in intents.yml.
_PLAIN = frozenset(k for w in ("i", "mujhe", "मुझे", "hame", "हमें", "koi", "कोई", "abhi", "अभी", "to", "तो", "ka", "का",
                                 "ki", "की", "ke", "के", "है", "hai", "h", "जी", "ji", "sir", "bilkul", "बिल्कुल", "iska",
                                 "इसका", "uska", "उसका", "ye", "ये", "size", "naap", "नाप", "saiz", "साइज", "kuch", "कुछ",
                                 "really", "sahi", "सही", "t", "skip", "dont", "am", "im", "really", "abhi") for k in [key(w)])
_HELP_STRONG = frozenset(key(w) for w in ("samajh", "samjh", "smjh", "समझ", "understand", "matlab", "मतलब", "meaning",
                                          "sahayata", "सहायता", "confused", "explain"))
_RESTART_CONTEXT = frozenset(key(w) for w in ("से", "se", "karo", "करो", "kar", "कर", "karte", "करते", "karna", "करना",
                                              "again", "over", "from", "do", "दो", "please", "fir", "phir", "फिर"))
_HARD_VALUES = {"amount_of_money", "dimensions", "quantity"}
_VALUES = _HARD_VALUES | {"product", "material", "colour", "district", "craft"}


def _cues(seq, keys, kinds, field) -> str | None:
    """An intent read from cue words, or None."""
    w = tables().words
    ks = {keys[i] for i in seq}
    n = len(seq)
    has = lambda name: bool(ks & w[name])
    hard = bool(kinds & _HARD_VALUES)
    if n > 12:
        return None
    if has("cue_message") and has("cue_stop") and not hard:
        return "stop"
    if not hard and (has("cue_helpline") or has("cue_talk") and (has("cue_person") or len(ks & w["cue_talk"]) > 1)
                     or has("cue_phone") and has("cue_do") and n <= 5):
        return "human"
    if has("cue_sold") and n <= 8 and not kinds & {"amount_of_money", "dimensions"} \
            and not ks & {"photo", "फोटो", "foto", "photos"}:
        return "sold_out"  # "maal khatam", "jutti khatam ho gayi", "1 नंबर आली बिक गी"
    if "ordinal" in kinds and ks & {key("ab"), key("अब")} and has("cue_negative") and n <= 6 and not hard:
        return "sold_out"  # "तीसरा वाला अब नहीं है": that listing is no longer there
    if ks & {key(w) for w in ("photo", "फोटो", "photos", "foto", "pics", "तस्वीर")} and has("cue_another") \
            and has("cue_negative") and n <= 6 and not hard:
        return "done"  # "और फोटो नहीं है", "no more photos"
    if has("cue_sent") and has("cue_past") and has("cue_all") and n <= 7 and not hard:
        return "done"
    if kinds & _VALUES:
        return _cues_with_values(ks, kinds, has, n, field)
    if has("cue_know") and has("cue_negative") and n <= 6 and not ks - w["cue_know"] - w["cue_negative"] - _PLAIN:
        return "skip"  # "नाप का पता नहीं", "बेरा ना", "no idea"; not "पता नहीं ज्यादा है"
    if has("cue_help") and (n <= 6 or n <= 9 and ks & _HELP_STRONG) or has("cue_what") and has("cue_write") and n <= 6:
        return "help"
    if has("cue_question") and has("cue_again") and not has("cue_back"):
        return "help"
    back = has("cue_back") or has("cue_before") and has("cue_question")
    if back and (has("cue_question") or n <= 3 and not has("cue_again")):
        return "back"
    restart_said = ks & _RESTART_CONTEXT or n <= 2  # "shuru se karo", not "20 saal pehle shuru kiya"
    if has("cue_restart") and n <= 7 and restart_said and "number" not in kinds \
            or has("cue_again") and ks & {"से", "se"} and n <= 6 and not has("cue_help"):
        return "restart"
    if has("cue_list_verb") and has("cue_negative") and n <= 8:
        return "cancel"
    if has("cue_another") and (has("cue_list_verb") or has("cue_item")) and n <= 9:
        return "new_listing"
    if has("cue_my") and (has("cue_item") or has("cue_show")) and n <= 7 and (has("cue_show") or n <= 3):
        return "my_listings"
    if ks & w["cue_show"] & {"listing", "listings", "status"} or has("cue_item") and has("cue_show") and n <= 5:
        return "my_listings"
    return None


def _cues_with_values(ks, kinds, has, n, field) -> str | None:
    """Cues that still hold when the message names a product ("ek aur dari dalni hai", "meri dari kahan dikh rahi")."""
    if kinds & _HARD_VALUES or kinds & {"colour", "material"} and field:
        return None
    if has("cue_list_verb") and has("cue_negative") and n <= 8:
        return "cancel"
    if has("cue_another") and has("cue_list_verb") and n <= 9:
        return "new_listing"
    if has("cue_my") and has("cue_show") and n <= 8 and "product" in kinds:
        return "my_listings"
    return None


def _outweighed(name, seq, keys, used, cover, neutral, kinds) -> bool:
    """A command word inside a longer message that is mostly about something else ("bas itna hi kehna hai ki haath
    se bani hai", "made by women of our self help group"), or a no that corrects a value ("लाल नहीं, नीला")."""
    if name == "deny" and kinds & (_VALUES | {"number"}):
        return True
    covered = sum(1 for i in seq if i in cover and cover[i] == name)
    other = sum(1 for i in seq if i not in cover and not used[i] and keys[i] not in neutral)
    if name in ("affirm", "deny", "greet") and seq and seq[0] in cover:
        return False  # "haan ji, mera naam Kamla hai": the answer comes first
    if name not in ("affirm", "deny") and sum(1 for i in seq if i not in cover and not used[i]) >= 5:
        return True  # "bas itna hi kehna hai ki haath se bani hai": a sentence, not the command
    if name == "deny":  # "धोने से रंग नहीं जाता", "machine se nahi bani": a negative sentence, not a no
        return other >= 2
    return other >= 3 and other >= covered


def _phrases(seq: list[int], keys: list[str], used: list[bool]) -> dict[int, str]:
    """Longest intent phrases over words not used by entities: {token index: intent}."""
    phrases, out, a = tables().intent_phrases, {}, 0
    while a < len(seq):
        for size in range(min(_MAX, len(seq) - a), 0, -1):
            idx = seq[a:a + size]
            if any(used[i] for i in idx):
                continue
            name = phrases.get(tuple(keys[i] for i in idx))
            if name == "greet" and size == 1 and keys[idx[0]] == "hi" and a > 0:
                name = None  # "ek hi hai": Roman "hi" after a word is "only", not a greeting
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
    if field and (ks & w["edit_verb"] or ks & w["wrong_word"] or has_value and ks & w["set_verb"]
                  or has_value and "of" in ks and field[1]["value"] in ("price", "quantity")):  # "price of 2 is 900"
        return "edit"
    value = field and kinds & _VALUE_OF.get(field[1]["value"], set())
    described = ks & w["possessive"]  # "इसकी कीमत 500 रुपये है" describes; "कीमत 500" sets
    if value and (field[1]["value"] == "price" and not described or ks & w["negation"]):
        return "edit"  # "price 1500"; "नहीं, कीमत 1500 है" (a correction)
    if ks & w["edit_verb"] and not ks & w["negation"]:
        return "edit"
    return None
