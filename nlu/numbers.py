"""Numbers: cardinals in words and digits (सवा/साढ़े/पौने, सौ/हज़ार/लाख), ordinals, and numbers in words."""
from functools import lru_cache
from typing import NamedTuple

from .lexicon import read, tables
from .normalise import phrase_key
from .tokens import Token

TWO = {"दो", "do"}
_TENS_VALUES = {20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0}  # also the verb "give" (दे दो, paise do)
_ORD_SUFFIXES = ("वां", "वा", "विं", "वि", "वें", "वे", "van", "va", "vin", "vi", "ve")


class Num(NamedTuple):
    """A number read from tokens i..j (end exclusive)."""
    value: float
    i: int
    j: int
    digits: bool


def _keys(examples) -> set[str]:
    """Keys of one-word (or multi-word, space-joined) examples, as the tokenizer makes them."""
    return {" ".join(phrase_key(e)) or e.lower() for e in examples}


@lru_cache(maxsize=None)
def extra() -> dict[str, set[str]]:
    """Word lists of numbers.yml, units.yml and money.yml that the lexicon's tables do not keep."""
    out = {}
    for name in ("numbers.yml", "units.yml", "money.yml"):
        for lookup, examples in read(name)["lookups"].items():
            out.setdefault(lookup, set()).update(_keys(examples))
    return out


def tidy(value: float) -> int | float:
    """Whole numbers as int, others rounded to 4 places."""
    value = round(value, 4)
    return int(value) if value == int(value) else value


def find_numbers(toks: list[Token], eager: bool = False) -> tuple[list[Num], list[Num]]:
    """All cardinals and ordinals in the tokens, left to right, without overlap.

    `eager`: a number is expected, so "do" and "ek" are read as numbers wherever they stand."""
    t_ = tables()
    nums, ords, i, n = [], [], 0, len(toks)
    while i < n:
        t = toks[i]
        if (t.kind == "d" and i + 1 < n and toks[i + 1].kind == "w" and "." not in t.key
                and toks[i + 1].start == t.end and toks[i + 1].key in t_.ordinal_suffix):
            ords.append(Num(int(t.key), i, i + 2, True))
            i += 2
            continue
        if t.kind == "w":
            o = t_.ordinal.get(t.key) or _word_ordinal(t.key)
            if o:
                ords.append(Num(o, i, i + 1, False))
                i += 1
                continue
        r = _read(toks, i)
        if r and (r[1] > i + 1 or toks[i].kind == "d" or eager or _plausible(toks, i)):
            nums.append(Num(r[0], i, r[1], any(toks[k].kind == "d" for k in range(i, r[1]))))
            i = r[1]
        else:
            i += 1
    return nums, ords


def _word_ordinal(k: str) -> int | None:
    """"दसवां", "gyarahvan": a cardinal of 5 or more with an ordinal suffix."""
    card = tables().cardinal
    for suf in _ORD_SUFFIXES:
        if k.endswith(suf) and len(k) > len(suf) + 1:
            v = card.get(k[: -len(suf)])
            if v and v >= 5:
                return v
    return None


def _read(toks: list[Token], i: int) -> tuple[float, int] | None:
    """The longest number starting at token i: (value, end)."""
    total, last, j, got, n = 0.0, None, i, False, len(toks)
    while j < n:
        if got and last and toks[j].key == "and" and j + 1 < n:
            j += 1  # "two hundred and fifty"
        g = _group(toks, j)
        if not g:
            break
        val, mult, nj = g
        if got:
            if mult is None:
                if last is None or val >= last or val != int(val):
                    break
                if nj - j == 1 and toks[j].raw.lower() in TWO and not _plausible(toks, j):
                    break  # "पांच हज़ार दो": give five thousand
            elif last is not None and mult >= last:
                break
        total, j, got, end = total + val, nj, True, nj
        if mult is None:
            break
        last = mult
    return (total, end) if got else None


def _group(toks: list[Token], j: int) -> tuple[float, int | None, int] | None:
    """One "[सवा] [base] [multiplier]" group: (value, multiplier, end)."""
    t_, n, k = tables(), len(toks), j
    prefix = t_.prefix.get(toks[j].key) if toks[j].kind == "w" else None
    if prefix is not None:
        k += 1
    base, digits = None, False
    if k < n:
        u = toks[k]
        if u.kind == "d":
            base, digits, k = float(u.key), True, k + 1
        elif u.kind == "w" and u.key in t_.cardinal:
            base, k = float(t_.cardinal[u.key]), k + 1
            k2 = k + (k < n and toks[k].key == "-")
            if (u.key.isascii() and base in _TENS_VALUES and k2 < n and toks[k2].kind == "w"
                    and toks[k2].key.isascii() and 0 < t_.cardinal.get(toks[k2].key, 0) < 10):
                base, k = base + t_.cardinal[toks[k2].key], k2 + 1  # "twenty five", "twenty-five"
        elif u.kind == "w" and u.key in t_.fraction and prefix is None:
            base, k = t_.fraction[u.key], k + 1
    mult = None
    if k < n and toks[k].kind == "w" and toks[k].key in t_.multiplier:
        m = toks[k]
        if base is not None or prefix is not None or m.key not in extra()["multiplier_needs_base"]:
            if m.key != "k" or digits:
                mult, k = t_.multiplier[m.key], k + 1
    if base is None and mult is None and prefix is not None and k < n and toks[k].key in t_.unit:
        base = 1.0  # "सवा मीटर" = 1.25 m, "पौने फुट"
    if base is None and mult is None:
        return None
    if base is None:
        base = 1.0
    if prefix is not None:
        base += prefix
    return (base * mult if mult else base), mult, k


def _plausible(toks: list[Token], i: int) -> bool:
    """Is a lone number word meant as a number? ("do" may be "give", "ek" may be "a")."""
    t_, t = tables(), toks[i]
    raw = t.raw.lower()
    if raw not in t_.ambiguous and raw not in TWO:
        return True
    words = [x for x in toks if x.kind != "p"]
    if len(words) == 1:
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or nxt.kind == "p" and nxt.key not in ("x", "*", "/", "₹"):
        return False
    k = nxt.key
    if (k in t_.unit or k in t_.currency or k in t_.paise or k in t_.by or k in t_.multiplier
            or k in t_.per or nxt.kind == "d"):
        return True
    if k in extra()["counted_noun"]:
        return True  # "do din", "ek photo aur"
    if k in ("\u0939\u093f", "hi") and i + 2 < len(toks) and toks[i + 2].key in extra()["stock_word"]:
        return True  # "एक ही है", "ek hi h"
    if raw in TWO and k in extra()["not_after_two"]:
        return False  # "दो सूती": the dosuti weave
    if raw in TWO and i + 2 < len(toks) and toks[i + 2].key in extra()["stock_word"] and nxt.kind == "w":
        return True  # "do razai h"
    if raw in TWO:
        return k in t_.lexicon_first or k in t_.modifier or k in t_.words["sold_word"] or k in t_.words["delete_verb"]
    return False


def hindi_words(n: int) -> str:
    """A whole number in Hindi words: 1250 -> "एक हज़ार दो सौ पचास"."""
    n = int(n)
    if n < 0:
        return "माइनस " + hindi_words(-n)
    if n < 100:
        return tables().hindi_word[n]
    parts = []
    for value, name in ((10**9, "अरब"), (10**7, "करोड\u093c"), (10**5, "लाख"), (1000, "हज\u093cार"), (100, "सौ")):
        q, n = divmod(n, value)
        if q:
            parts.append(f"{hindi_words(q)} {name}")
    if n:
        parts.append(tables().hindi_word[n])
    return " ".join(parts)


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def english_words(n: int) -> str:
    """A whole number in Indian English words: 120000 -> "one lakh twenty thousand"."""
    n = int(n)
    if n < 0:
        return "minus " + english_words(-n)
    if n < 100:
        return _ONES[n] if n < 20 else _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    parts = []
    for value, name in ((10**7, "crore"), (10**5, "lakh"), (1000, "thousand"), (100, "hundred")):
        q, n = divmod(n, value)
        if q:
            parts.append(f"{english_words(q)} {name}")
    if n:
        parts.append(english_words(n))
    return " ".join(parts)
