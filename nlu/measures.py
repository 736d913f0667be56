"""Money, quantities and sizes built around the numbers found in a message."""
from .lexicon import tables
from .numbers import Num, tidy
from .tokens import Token

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
        ent = _size(toks, m, by_start, taken) or _money(toks, m, by_start, taken) or _quantity(toks, m)
        if ent:
            taken.add(m.i)
            ent, i, j = ent
            out.append(ent)
            for k in range(i, j):
                used[k] = True
    rest = [m for m in nums if m.i not in taken and not any(used[m.i:m.j])]
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


def _money(toks, m: Num, by_start, taken):
    """"₹ 1,200", "Rs1200", "पांच सौ रुपये", "1200/-", "1200 का", "500 रुपये प्रति मीटर"."""
    t_, n = tables(), len(toks)
    start, k, value, money = m.i, m.j, m.value, False
    p = m.i - 1
    if p >= 1 and toks[p].key == "." and toks[p - 1].key in t_.currency:
        p -= 1
    if p >= 0 and toks[p].key in t_.currency:
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
    if per is None and not money:
        if k < n and toks[k].key in t_.price_suffix and m.value >= 10 and _unit_at(toks, k, m)[0] is None:
            money = True
        elif _after_price_word(toks, m.i) and _unit_at(toks, k, m)[0] is None:
            money = True  # "कीमत 900", "price: 1500", "rate 800 hai"
    if per is not None:
        money, k = True, end
    if not money:
        return None
    extra = {"unit": "INR"} | ({"per": per} if per else {})
    return _span("amount_of_money", tidy(value), toks, start, k, **extra), start, k


_PRICE_GAP = {":", "=", "-", "है", "hai", "is", "की", "ki", "का", "ka", "only", "sirf", "सिर्फ", "बस", "bas",
              "to", "ko", "को", "now", "अब", "ab"}


def _after_price_word(toks, i: int) -> bool:
    """Does a price word (कीमत, दाम, price, rate) stand just before token i?"""
    t_, p = tables(), i - 1
    while p >= 0 and toks[p].key in _PRICE_GAP and i - p <= 3:
        p -= 1
    return p >= 0 and toks[p].key in t_.price_word


def _rate(toks, k: int, m: Num, money: bool) -> tuple[str | None, int]:
    """The unit a price is for: "प्रति मीटर", "/m", "per piece", "का एक", "रुपये मीटर"."""
    t_, n = tables(), len(toks)
    if k >= n:
        return None, k
    key = toks[k].key
    if key in t_.per:
        q = k + 1 + (k + 1 < n and toks[k + 1].key in _ONE)
        unit, end = _unit_at(toks, q, m) if q < n else (None, q)
        if unit is None and q < n and toks[q].key in t_.unit:
            unit, end = t_.unit[toks[q].key], q + 1
        return (unit, end) if unit else (None, k)
    if money and key in t_.unit and toks[k].key not in t_.ambiguous_unit:
        return t_.unit[key], k + 1
    if key in t_.price_suffix and (money or m.value >= 10):
        q = k + 1
        if q < n and toks[q].key in _ONE:
            if q + 1 < n and toks[q + 1].key in t_.unit:
                return t_.unit[toks[q + 1].key], q + 2
            return "piece", q + 1
        if money and q < n and toks[q].key in t_.unit and toks[q].key not in t_.ambiguous_unit:
            return t_.unit[toks[q].key], q + 1
    return None, k


def _quantity(toks, m: Num):
    """"2 मीटर", "आधा किलो", "12 पीस", "2 जोड़ी"."""
    unit, k = _unit_at(toks, m.j, m)
    if unit is None:
        return None
    if unit == "dozen":  # "2 दर्जन" = 24 pieces
        return _span("quantity", tidy(m.value * 12), toks, m.i, k, unit="piece", dozen=tidy(m.value)), m.i, k
    return _span("quantity", tidy(m.value), toks, m.i, k, unit=unit), m.i, k
