"""Money, quantities and sizes built around the numbers found in a message.

Entities (keys added for issue 17 marked +):
- amount_of_money {value, unit: "INR", per?, +uncertain?}: `per` the unit of sale ("piece", "pair", "dozen",
  "set", "metre", "kilogram", ...); `uncertain: true` when the amount was read from words, from digits with a
  word multiplier ("12 सौ", "1.5k"), from a doubtful spelling ("gyarah so", "साडे"), or picked among several
  ("मार्केट में 2000 की, हम 1500 में देंगे"): the flow reads it back before saving.
- quantity {value, unit?, dozen?, +per?, +count?, +measure?, +bare?}: `value`/`unit` as ever (a dozen is 12
  pieces); `per`/`count` the unit of sale and how many of it ("do darjan": dozen, 2); `measure: "stock"` for
  length on hand ("50 मीटर कपड़ा है"), `"content"` for what a thing is made of ("4 kilo rui ki"); `bare: true`
  for a count without a unit ("मटके 20 हैं", "एक ही है"). A quantity in a length unit without `measure` is a size.
- dimensions {value: {length, width, height?, unit}} as ever.
- +size_kind: value "shoe" (+sizes, +system), "free", "kids", "letters" (+sizes), "capacity" (+amount, +unit);
  the numbers in it stay `number` entities too.
"""
from .lexicon import tables
from .numbers import Num, tidy
from .numbers import extra as _x
from .normalise import key as _key
from .tokens import Token

_SIZE_WORDS = {_key(w) for w in ("size", "sizes", "साइज", "साईज")}

_ONE = {"एक", "ek", "1", "one"}
_LABEL_GAP = {":", "=", "-", "है", "hai", "में", "mein", "me", "is"}
_SIDE_GAP = {"और", "aur", ",", "and", "x", "।"}


def _span(name: str, value, toks: list[Token], i: int, j: int, **extra) -> dict:
    return {"entity": name, "value": value, "start": toks[i].start, "end": toks[j - 1].end, **extra}


def _unit_at(toks: list[Token], k: int, num: Num) -> tuple[str | None, int]:
    """The unit at token k, if it can belong to the number before it."""
    t_ = tables()
    if k >= len(toks) or toks[k].key not in t_.unit:
        return None, k
    key, adjacent = toks[k].key, toks[k].start == toks[k - 1].end
    if key in t_.ambiguous_unit and not (adjacent or (num.digits and key not in ("'", '"'))):
        return None, k
    return t_.unit[key], k + 1


def extract(toks: list[Token], nums: list[Num]) -> tuple[list[dict], list[bool], list[Num]]:
    """Entities for sizes, money and quantities; the tokens they use; the numbers left over."""
    used = [False] * len(toks)
    by_start = {m.i: m for m in nums}
    taken: set[int] = set()
    out = _labelled_sizes(toks, by_start, taken, used) + _sizes_labelled_after(toks, nums, taken, used)
    for m in nums:
        if m.i in taken:
            continue
        ent = _size(toks, m, by_start, taken) or _money(toks, m, by_start, taken, used) or _quantity(toks, m)
        if ent:
            taken.add(m.i)
            ent, i, j = ent
            out.append(ent)
            for k in range(i, j):
                used[k] = True
    rest = [m for m in nums if m.i not in taken and not any(used[m.i:m.j])]
    # --- issue 17: counts, stock, values taken back, doubt (kept apart from the readings above) ---
    out = _inside_money(out)
    rest = _making(toks, out, rest, used)
    counts, rest = _counts(toks, rest, used, any(e["entity"] == "amount_of_money" for e in out))
    out += counts
    _stock(toks, out)
    out, rest = _replaced(toks, out, rest, used)
    _doubt(toks, out, nums)
    out += size_kinds(toks, nums)
    return out, used, rest


def _labelled_sizes(toks, by_start, taken, used) -> list[dict]:
    """"लंबाई 6 फीट चौड़ाई 4 फीट (ऊंचाई 2)"."""
    labels, out, n, k = tables().size_label, [], len(toks), 0
    while k < n:
        if toks[k].key not in labels:
            k += 1
            continue
        start, sides, unit, p = k, {}, None, k
        while p < n and toks[p].key in labels and labels[toks[p].key] not in sides:
            q = p + 1
            while q < n and toks[q].key in _LABEL_GAP:
                q += 1
            m = by_start.get(q)
            if m is None or m.i in taken:
                break
            sides[labels[toks[p].key]] = m
            u, end = _unit_at(toks, m.j, m)
            unit, p = u or unit, end
            last_end = end
            while p < n and toks[p].key in _SIDE_GAP:
                p += 1
        if "length" in sides and "width" in sides:
            value = {side: tidy(m.value) for side, m in sides.items()}
            value["unit"] = unit
            out.append(_span("dimensions", value, toks, start, last_end))
            taken.update(m.i for m in sides.values())
            for x in range(start, last_end):
                used[x] = True
            k = last_end
        else:
            k += 1
    return out


def _sizes_labelled_after(toks, nums, taken, used) -> list[dict]:
    """"6 फुट लंबी 4 फुट चौड़ी"."""
    labels, n, out, a = tables().size_label, len(toks), [], 0
    while a < len(nums):
        sides, unit, b, end = {}, None, a, nums[a].i
        while b < len(nums) and nums[b].i >= end and nums[b].i not in taken:
            u, k = _unit_at(toks, nums[b].j, nums[b])
            if k >= n or toks[k].key not in labels or labels[toks[k].key] in sides:
                break
            sides[labels[toks[k].key]], unit, end = nums[b], u or unit, k + 1
            while end < n and toks[end].key in _SIDE_GAP:
                end += 1
            b += 1
        if "length" in sides and "width" in sides:
            start, stop = nums[a].i, max(m.j for m in sides.values()) + 1
            while stop < n and toks[stop].key not in labels:
                stop += 1
            value = {side: tidy(m.value) for side, m in sides.items()} | {"unit": unit}
            out.append(_span("dimensions", value, toks, start, stop + 1))
            taken.update(m.i for m in sides.values())
            used[start:stop + 1] = [True] * (stop + 1 - start)
            a = b
        else:
            a += 1
    return out


def _size(toks, m: Num, by_start, taken):
    """"6 बाई 4 फीट", "6x4", "6 * 4 * 2 ft", "छह बाई चार"."""
    by, n = tables().by, len(toks)
    sides, (unit, k) = [m], _unit_at(toks, m.j, m)
    while len(sides) < 3 and k + 1 < n and toks[k].key in by:
        nxt = by_start.get(k + 1)
        if nxt is None or nxt.i in taken:
            break
        sides.append(nxt)
        u, k = _unit_at(toks, nxt.j, nxt)
        unit = u or unit
    if len(sides) < 2:
        return None
    taken.update(s.i for s in sides)
    value = dict(zip(("length", "width", "height"), (tidy(s.value) for s in sides)))
    value["unit"] = unit
    return _span("dimensions", value, toks, m.i, k), m.i, k


def _money(toks, m: Num, by_start, taken, used=None):
    """"₹ 1,200", "Rs1200", "पांच सौ रुपये", "1200/-", "1200 का", "500 रुपये प्रति मीटर", "दर्जन के 600",
    "350 each", "1500 for the set"."""
    t_, n = tables(), len(toks)
    start, k, value, money = m.i, m.j, m.value, False
    p = m.i - 1
    if p >= 1 and toks[p].key == "." and toks[p - 1].key in t_.currency:
        p -= 1
    if p >= 0 and toks[p].key in t_.currency and not (used and used[p]):  # "350 rs 30 h": rs is 350's
        start, money = p, True
    if k < n and toks[k].key in t_.currency:
        money, k = True, k + 1
        if k < n and toks[k].key == "." and toks[k].start == toks[k - 1].end:
            k += 1
        cents = by_start.get(k)
        if cents and cents.j < n and toks[cents.j].key in t_.paise:
            value, k = value + cents.value / 100, cents.j + 1
            taken.add(cents.i)
    elif not money and k < n and toks[k].key in t_.paise:
        value, money, k = value / 100, True, k + 1
    elif k + 1 < n and toks[k].key == "/" and toks[k + 1].key == "-":
        money, k = True, k + 2
    per, end = _rate(toks, k, m, money)
    if per is None:
        per, end = _each(toks, k)
        if per is None:
            lead = _unit_before(toks, m.i, used)
            if lead is not None:
                unit, s0, strong = lead
                after = k < n and toks[k].key in t_.price_suffix
                if strong or money or after:
                    per, end, start = unit, k + after, min(start, s0)
    if per is None and not money:
        if k < n and toks[k].key in t_.price_suffix and m.value >= 10 and _unit_at(toks, k, m)[0] is None:
            money = True
        elif (_after_price_word(toks, m.i) and _unit_at(toks, k, m)[0] is None
              and not (k < n and toks[k].key in _x()["counted_noun"])):
            money = True  # "कीमत 900", "price: 1500", "rate 800 hai"
        elif m.value >= 10 and _unit_at(toks, k, m)[0] is None and _price_word_after(toks, k):
            money = True  # "1001 shagun wala rate", "450 ka rate"
    if per is not None:
        money, k = True, end
    if not money:
        return None
    extra = {"unit": "INR"} | ({"per": per} if per else {})
    return _span("amount_of_money", tidy(value), toks, start, k, **extra), start, k


def _each(toks, k: int) -> tuple[str | None, int]:
    """"350 each" (a piece), "1500 for the set", "800 for a pair"."""
    t_, x, n = tables(), _x(), len(toks)
    if k < n and toks[k].key in x["each_word"]:
        return "piece", k + 1
    if k + 1 < n and toks[k].key in x["for_word"]:
        q = k + 1 + (toks[k + 1].key in ("the", "a", "one", "ek", "1", "each"))
        if q < n and toks[q].key in t_.unit:
            return t_.unit[toks[q].key], q + 1
    return None, k


_WHOLE = {"pura", "पुरा", "पूरा", "pora", "full", "whole", "complete", "poora"}
_SHORT_UNITS = {"'", '"', "m", "g", "mt", "मी", "मि"}


def _unit_before(toks, i: int, used) -> tuple[str, int, bool] | None:
    """The unit of sale named before an amount: "दर्जन के 600" (strong), "per meter 140" (strong),
    "एक जोड़ी 550 की", "darjan 80 ka" (weak: a price mark must follow). (unit, start, strong)."""
    t_, n = tables(), len(toks)
    p, strong = i - 1, False
    if p >= 0 and toks[p].key in t_.price_suffix:
        p, strong = p - 1, True
    if p < 0 or toks[p].key not in t_.unit or toks[p].key in _SHORT_UNITS or (
            used and used[p] and not (p >= 1 and toks[p - 1].key in _ONE)):
        return None
    unit, start, q = t_.unit[toks[p].key], p, p - 1
    if q >= 0 and toks[q].key in t_.per:
        return unit, q, True
    if q >= 0 and toks[q].key in t_.price_suffix:
        return unit, start, True  # "4 ka set 299"
    if q >= 0 and (toks[q].kind == "d" or toks[q].key in t_.cardinal or toks[q].key in t_.multiplier):
        if toks[q].key in _ONE:
            return unit, q, strong  # "एक जोड़ी 550 की"
        return None  # "5 by 3 fit 1100": the unit is the size's
    return unit, start, strong


_PRICE_GAP = {":", "=", "-", "है", "hai", "is", "की", "ki", "का", "ka", "only", "sirf", "सिर्फ", "बस", "bas",
              "to", "ko", "को", "now", "अब", "ab"}


def _after_price_word(toks, i: int) -> bool:
    """Does a price word (कीमत, दाम, price, rate, MRP) stand before token i ("price galat h 1300 karo")?"""
    return _field_before(toks, i) == "price"


def _price_word_after(toks, k: int) -> bool:
    """A price word within three words after an amount, with no other amount after it ("2 की कीमत 900 करो" is
    listing 2's price)."""
    t_, x, n = tables(), _x(), len(toks)
    for q in range(k, min(n, k + 3)):
        t = toks[q]
        if t.kind != "w" or t.key in t_.cardinal or t.key in t_.unit:
            return False
        if t.key in t_.price_word or t.key in x["price_word"]:
            return not any(u.kind == "d" or u.key in t_.cardinal for u in toks[q + 1:q + 4])
    return False


def _field_before(toks, i: int, reach: int = 6) -> str | None:
    """The listing field word (price or quantity) a few words before token i, with no number or other field
    word between: "कीमत गलत लिखी सै, 1300 कर" (price), "गिनती 12 कर दो", "update quantity to 8" (quantity)."""
    t_, x, p = tables(), _x(), i - 1
    while p >= 0 and i - p <= reach:
        t = toks[p]
        if t.kind == "d" or t.key in ("।", ".", "?", "!") or t.key in t_.cardinal:
            return None
        if t.key in t_.price_word or t.key in x["price_word"]:
            return "price"
        f = t_.field.get(t.key)
        if f == "quantity":
            return "quantity"
        if f is not None:
            return None
        p -= 1
    return None


def _rate(toks, k: int, m: Num, money: bool) -> tuple[str | None, int]:
    """The unit a price is for: "प्रति मीटर", "/m", "per piece", "का एक", "रुपये मीटर"."""
    t_, n = tables(), len(toks)
    if k >= n:
        return None, k
    key = toks[k].key
    if money and key in _WHOLE and k + 1 < n and toks[k + 1].key in t_.unit and toks[k + 1].key not in _SHORT_UNITS:
        return t_.unit[toks[k + 1].key], k + 2  # "800 rs pura set"
    if key in t_.per:
        q = k + 1 + (k + 1 < n and toks[k + 1].key in _ONE)
        unit, end = _unit_at(toks, q, m) if q < n else (None, q)
        if unit is None and q < n and toks[q].key in t_.unit:
            unit, end = t_.unit[toks[q].key], q + 1
        return (unit, end) if unit else (None, k)
    if money and key in t_.unit and toks[k].key not in t_.ambiguous_unit:
        return t_.unit[key], k + 1
    if (money or m.value >= 10) and key in _ONE and k + 1 < n and toks[k + 1].key in t_.price_suffix:
        return "piece", k + 2  # "300 रुपये एक का"
    if key in t_.price_suffix and (money or m.value >= 10):
        q = k + 1
        if q < n and toks[q].key in _ONE:
            if q + 1 < n and toks[q + 1].key in t_.unit:
                return t_.unit[toks[q + 1].key], q + 2
            return "piece", q + 1
        whole = q + 1 < n and toks[q].key in _WHOLE  # "ढाई हजार का पूरा सेट"
        q += whole
        if (money or whole) and q < n and toks[q].key in t_.unit and toks[q].key not in _SHORT_UNITS:
            return t_.unit[toks[q].key], q + 1  # "1200 rupay ka set", "500 ka joda"
    return None, k


def _quantity(toks, m: Num):
    """"2 मीटर", "आधा किलो", "12 पीस", "2 जोड़ी". `value` and `unit` as ever (a dozen is 12 pieces); added for
    issue 17: `per`, the unit of sale it is counted in, and `count`, how many of `per` ("do darjan": per dozen,
    count 2; "do darjan jodi": per pair, count 24)."""
    unit, k = _unit_at(toks, m.j, m)
    if unit is None and not m.digits and m.j < len(toks) and toks[m.j].key in ("set", "sets") \
            and not (m.i > 0 and toks[m.i - 1].key in ("in", "में", "mein", "me", "of")):
        unit, k = "set", m.j + 1  # "ek set", "do sets" (but "12 bangles in one set" is what a set holds)
    if unit is None:
        return None
    if unit == "dozen":  # "2 दर्जन" = 24 pieces; "do darjan jodi" = 24 pairs
        t_ = tables()
        if k < len(toks) and t_.unit.get(toks[k].key) in ("pair", "set") and toks[k].key not in _SHORT_UNITS:
            unit, k = t_.unit[toks[k].key], k + 1
            return _span("quantity", tidy(m.value * 12), toks, m.i, k, unit=unit, dozen=tidy(m.value),
                         per=unit, count=tidy(m.value * 12)), m.i, k
        return _span("quantity", tidy(m.value * 12), toks, m.i, k, unit="piece", dozen=tidy(m.value),
                     per="dozen", count=tidy(m.value)), m.i, k
    if unit in _LENGTHS:  # a size, unless _stock finds it is metres on hand
        return _span("quantity", tidy(m.value), toks, m.i, k, unit=unit), m.i, k
    return _span("quantity", tidy(m.value), toks, m.i, k, unit=unit, per=unit, count=tidy(m.value)), m.i, k


# --- issue 17: counts, stock on hand, values taken back, doubt ------------------------------------------------


def _inside_money(out: list[dict]) -> list[dict]:
    """"एक जोड़ी 550 की" is a price per pair: the "एक जोड़ी" inside it is no quantity."""
    money = [(e["start"], e["end"]) for e in out if e["entity"] == "amount_of_money"]
    return [e for e in out if e["entity"] != "quantity"
            or not any(a <= e["start"] and e["end"] <= b for a, b in money)]


def _making(toks, out: list[dict], rest: list[Num], used: list[bool]) -> list[Num]:
    """"ek piece banane me 2 din", "to make one piece": one piece being made is no quantity."""
    mk = _x()["making_word"]
    for e in list(out):
        if e["entity"] != "quantity" or e.get("value") != 1:
            continue
        j = next((k for k, t in enumerate(toks) if t.end == e["end"]), None)
        i = next((k for k, t in enumerate(toks) if t.start == e["start"]), None)
        if j is None or i is None:
            continue
        after = j + 1 < len(toks) and toks[j + 1].key in mk and toks[j + 1].key != "to"
        before = i > 0 and toks[i - 1].key in mk and (toks[i - 1].key != "to" or i > 1 and toks[i - 2].key in mk)
        if after or before or (i > 1 and toks[i - 1].key in ("a", "one") and toks[i - 2].key in mk):
            out.remove(e)
    return rest


def _counts(toks, rest: list[Num], used: list[bool], priced: bool = False) -> tuple[list[dict], list[Num]]:
    """A bare count of what is on hand: "मटके 20 हैं", "अभी 3 हैं", "matke h 50", "40 available", "एक ही है",
    "गिनती 12 कर दो", "update quantity to 8". A number and a stock word alone ("500 है") stay a number: that is
    as often a price. In a message with a price, a number first and then the product is a count too:
    "5 woollen shawls, grey, Rs 1800 each"."""
    x, n, out, keep, t_ = _x(), len(toks), [], [], tables()
    stock, stop = x["stock_word"], x["not_a_count"]
    words = [t for t in toks if t.kind != "p"]
    for m in rest:
        v = m.value
        ok = v == int(v) and 1 <= v <= 100_000 and _field_before(toks, m.i) != "price" \
            and not (m.i > 0 and toks[m.i - 1].key in x["inside_word"])  # "andar 7 katori hain"
        found = ok and _field_before(toks, m.i) == "quantity"
        if ok and not found:
            q = m.j
            while q < n and q - m.j <= 4:
                t = toks[q]
                if t.kind == "d" or t.key in stop or (t.kind == "p" and t.key not in ("-",)):
                    break
                if t.key in stock:
                    alone = len(words) <= (m.j - m.i) + (q - m.j + 1) and q == m.j
                    found = not alone or (m.j < n and toks[m.j].key in ("\u0939\u093f", "hi"))
                    break
                q += 1
            first = next(k for k, t in enumerate(toks) if t.kind != "p")
            if not found and priced and m.i == first and m.j < n and toks[m.j].kind == "w" \
                    and toks[m.j].key not in t_.unit and toks[m.j].key not in stop \
                    and (toks[m.j].key in t_.lexicon_first or toks[m.j].key in t_.modifier):
                found = True
            if not found and m.i >= 2 and toks[m.i - 1].key in stock and toks[m.i - 2].kind == "w" \
                    and toks[m.i - 2].key not in stock and (m.j >= n or toks[m.j].kind == "p"):
                found = True  # "matke h 50", "मूढ़े सैं बीस,"
        if found:
            out.append(_span("quantity", tidy(v), toks, m.i, m.j, count=tidy(v), bare=True))
            used[m.i:m.j] = [True] * (m.j - m.i)
        else:
            keep.append(m)
    return out, keep


_LENGTHS = {"metre", "centimetre", "foot", "inch", "yard"}


def _stock(toks, out: list[dict]) -> None:
    """"50 मीटर कपड़ा है", "40 metres in stock", "30 मीटर का थान": metres on hand, not a size (measure: stock)."""
    x, n, t_ = _x(), len(toks), tables()
    for e in out:
        if e["entity"] != "quantity" or e.get("unit") not in _LENGTHS:
            continue
        j = next((k for k, t in enumerate(toks) if t.end == e["end"]), None)
        i = next((k for k, t in enumerate(toks) if t.start == e["start"]), None)
        if j is None:
            continue
        q = j + 1
        if q < n and toks[q].key in t_.price_suffix:
            q += 1
        nxt = toks[q].key if q < n else None
        after_in = q + 1 < n and nxt == "in" and toks[q + 1].key in x["stock_word"]
        if nxt in x["stock_word"] or nxt in x["stock_noun"] or after_in or (i and _field_before(toks, i) == "quantity"):
            e.update(measure="stock", per=e["unit"], count=e["value"])
    for e in out:  # "4 kilo rui ki" inside a razai: what it is made of, not how much there is
        if e["entity"] != "quantity" or e.get("unit") not in ("kilogram", "gram"):
            continue
        j = next((k for k, t in enumerate(toks) if t.end == e["end"]), None)
        if j is None:
            continue
        follow = []
        for t in toks[j + 1:j + 5]:
            if t.kind != "w":
                break
            follow.append(t.key)
        if follow and not any(k in x["stock_word"] for k in follow):
            e["measure"] = "content"


def _replaced(toks, out: list[dict], rest: list[Num], used: list[bool]) -> tuple[list[dict], list[Num]]:
    """Values taken back or someone else's: "1200 नहीं, 1500", "6x4 nahi 7x4", "pehle 800 bola tha, 700 rakh lo",
    "मार्केट में 2000 की, हम 1500 में देंगे": the later (or the artisan's own) value stands, marked uncertain."""
    x, n = _x(), len(toks)
    idx = {t.start: k for k, t in enumerate(toks)}
    end_idx = {t.end: k for k, t in enumerate(toks)}
    items = [(e["entity"], idx[e["start"]], end_idx[e["end"]] + 1, e) for e in out
             if e["entity"] in ("amount_of_money", "dimensions", "quantity")
             and e["start"] in idx and e["end"] in end_idx]
    items += [("number", m.i, m.j, m) for m in rest]
    items.sort(key=lambda it: it[1])
    drop = set()
    for a, (kind, i, j, obj) in enumerate(items):
        same = [it for it in items if it[0] == kind and it[3] is not obj]
        if not same:
            continue
        later = [it for it in same if it[1] > i]
        nxt = toks[j].key if j < n else None
        neg = nxt in x["negation"] and bool(later)
        before = any(toks[p].key in x["before_word"] for p in range(max(0, i - 2), i)) and bool(later)
        market = kind == "amount_of_money" and any(toks[p].key in x["market_word"] for p in range(max(0, i - 3), i))
        if neg or before or market:
            drop.add(id(obj))
    for kind, i, j, obj in items:  # "shop pe 1500 ka hai, aapke yaha 1200 rakh do": the artisan's price
        if kind == "amount_of_money" and id(obj) not in drop \
                and any(toks[p].key in x["market_word"] for p in range(max(0, i - 3), i)):
            own = [m for m in rest if m.i > i and m.value >= 10]
            if own:
                m = own[-1]
                drop.add(id(obj))
                drop.add(id(m))
                out.append(_span("amount_of_money", tidy(m.value), toks, m.i, m.j, unit="INR"))
    for kind, i, j, obj in items:  # someone else's price and no other: read it back
        if kind == "amount_of_money" and any(toks[p].key in x["market_word"] for p in range(max(0, i - 3), i)):
            obj["uncertain"] = True
    if not drop:
        return out, rest
    for kind, i, j, obj in items:
        if id(obj) in drop:  # a value still: the words around it are not a command
            used[i:j] = [True] * (j - i)
    out = [e for e in out if id(e) not in drop]
    for e in out:
        if e["entity"] == "amount_of_money":
            e["uncertain"] = True
    return out, [m for m in rest if id(m) not in drop]


def _doubt(toks, out: list[dict], nums: list[Num]) -> None:
    """A price read from words ("gyarah so", "साडे पांच हजार", "dedh hazaar"), from digits with a word
    multiplier ("12 सौ", "1.5k") or from a doubtful spelling is marked "uncertain": read it back to the artisan."""
    doubtful = _x()["doubtful_number"]
    spans = [(m.i, m.j) for m in nums]
    idx = {t.start: k for k, t in enumerate(toks)}
    for e in out:
        if e["entity"] != "amount_of_money" or e.get("uncertain"):
            continue
        i = idx.get(e["start"])
        for a, b in spans:
            if i is not None and i <= a and toks[b - 1].end <= e["end"]:
                if any(toks[k].kind == "w" or toks[k].key in doubtful for k in range(a, b)):
                    e["uncertain"] = True
                break


def size_kinds(toks, nums: list[Num]) -> list[dict]:
    """Sizes that are not length × width, for the flow to keep as said: shoe sizes ("6 से 10 नंबर", "UK 7"),
    "free size", kids' sizes, S/M/L, capacities ("10 लीटर"). Entity "size_kind", value one of shoe, free, kids,
    letters, capacity; the numbers in them stay numbers too."""
    x, n, out = _x(), len(toks), []
    keys = [t.key for t in toks]
    by_start = {m.i: m for m in nums}
    for name, kind in (("free_size", "free"), ("kids_size", "kids")):
        for phrase in sorted(x[name], key=lambda p: -len(p.split())):
            words = phrase.split()
            for i in range(n - len(words) + 1):
                if keys[i:i + len(words)] == words and not any(e["start"] <= toks[i].start < e["end"] for e in out):
                    out.append(_span("size_kind", kind, toks, i, i + len(words)))
    shoe = x["shoe_word"]
    for m in nums:
        k = m.j
        if k + 1 < n and keys[k] in ("से", "to", "-", "se") and k + 1 in by_start:
            m2 = by_start[k + 1]
            if m2.j < n and keys[m2.j] in shoe and 1 <= m.value <= 13 and 1 <= m2.value <= 13:
                out.append(_span("size_kind", "shoe", toks, m.i, m2.j + 1, sizes=[tidy(m.value), tidy(m2.value)]))
                continue
        sys_ = m.i - 1 - (m.i > 1 and keys[m.i - 1] in _SIZE_WORDS)
        if sys_ >= 0 and keys[sys_] in ("uk", "india", "indian", "eu") and m.value <= 47:
            out.append(_span("size_kind", "shoe", toks, sys_, m.j, sizes=[tidy(m.value)],
                             system="UK" if keys[sys_] == "uk" else keys[sys_].title()))
            continue
        if k < n and keys[k] in x["capacity_unit"] and (keys[k] != "l" or toks[k].start == toks[k - 1].end):
            unit = "ml" if keys[k] == "ml" else "litre"
            out.append(_span("size_kind", "capacity", toks, m.i, k + 1, amount=tidy(m.value), unit=unit))
    letters = [i for i, t in enumerate(toks) if t.kind == "w" and t.key in x["letter_size"]]
    letters = [i for i in letters if not (i > 0 and toks[i - 1].kind == "d")]
    named = any(k in _SIZE_WORDS for k in keys)
    if len(letters) >= 2 or (letters and named):
        out.append(_span("size_kind", "letters", toks, letters[0], letters[-1] + 1,
                         sizes=[toks[i].raw.upper() for i in letters]))
    return out
