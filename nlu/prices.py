"""Amounts of money: "₹ 1,200", "Rs1200", "पांच सौ रुपये", "1200/-", "1200 का", "500 रुपये प्रति मीटर",
"दर्जन के 600", "350 each", "1500 for the set"."""
from .lexicon import tables
from .numbers import Num, tidy
from .price_words import SMALLEST_BARE_PRICE, field_before, price_word_after
from .rates import each_after, rate_after, unit_before
from .reading import Reading
from .spans import key_at, span, touches_previous
from .tokens import Token
from .units import unit_at
from .word_lists import word_lists

Found = tuple[dict, int, int]  # an entity and the tokens it uses (first, stop)


def money_at(reading: Reading, num: Num) -> Found | None:
    """The amount of money `num` is, with its currency and the unit it is for, or None if it is no price."""
    toks, sign = reading.toks, _currency_before(reading, num)
    value, after, marked = _marks_after(reading, num, sign is not None)
    marked = marked or sign is not None
    per, stop, first = _unit_of_sale(reading, num, after, marked, num.first if sign is None else sign)
    if per is None and not (marked or _reads_as_price(toks, num, after)):
        return None
    stop = after if per is None else stop
    extra = {"unit": "INR"} | ({"per": per} if per else {})
    return span("amount_of_money", tidy(value), toks, first, stop, **extra), first, stop


def _currency_before(reading: Reading, num: Num) -> int | None:
    """The position of a currency word or sign before the number ("₹ 500", "Rs. 500"), unless it is the last
    amount's ("350 rs 30 h": rs is 350's)."""
    toks, pos = reading.toks, num.first - 1
    if key_at(toks, pos) == "." and key_at(toks, pos - 1) in tables().currency:
        pos -= 1
    return pos if key_at(toks, pos) in tables().currency and not reading.used[pos] else None


def _marks_after(reading: Reading, num: Num, money_before: bool) -> tuple[float, int, bool]:
    """A currency, paise or "/-" after the number: (value, position after the marks, whether there was one)."""
    word = key_at(reading.toks, num.after)
    if word in tables().currency:
        return _rupees_and_paise(reading, num)
    if word in tables().paise and not money_before:
        return num.value / 100, num.after + 1, True  # "50 पैसे"
    if word == "/" and key_at(reading.toks, num.after + 1) == "-":
        return num.value, num.after + 2, True  # "1200/-"
    return num.value, num.after, False


def _rupees_and_paise(reading: Reading, num: Num) -> tuple[float, int, bool]:
    """"500 Rs.", "10 रुपये 50 पैसे": rupees after the number, and paise after them."""
    toks, after = reading.toks, num.after + 1
    if key_at(toks, after) == "." and touches_previous(toks, after):
        after += 1
    paise = reading.number_at.get(after)
    if paise is None or key_at(toks, paise.after) not in tables().paise:
        return num.value, after, True
    reading.taken.add(paise.first)
    return num.value + paise.value / 100, paise.after + 1, True


def _unit_of_sale(reading: Reading, num: Num, after: int, marked: bool,
                  first: int) -> tuple[str | None, int, int]:
    """The unit the price is for, after it or before it: (unit or None, position after the price, its first
    token)."""
    per, stop = rate_after(reading.toks, after, num, marked)
    if per is None:
        per, stop = each_after(reading.toks, after)
    if per is not None:
        return per, stop, first
    return _unit_named_before(reading, num, after, marked, first)


def _unit_named_before(reading: Reading, num: Num, after: int, marked: bool,
                       first: int) -> tuple[str | None, int, int]:
    """"दर्जन के 600", "per meter 140" always; "darjan 80 ka", "एक जोड़ी 550 की" only as money or with a price mark
    after the amount."""
    lead = unit_before(reading.toks, num.first, reading.used)
    priced = key_at(reading.toks, after) in tables().price_suffix
    if lead is None or not (lead.strong or marked or priced):
        return None, after, first
    return lead.unit, after + priced, min(first, lead.first)


def _reads_as_price(toks: list[Token], num: Num, after: int) -> bool:
    """No rupees and no unit of sale, but a price all the same: "450 ka", "कीमत 900", "price: 1500",
    "1001 shagun wala rate" (but not a number with a unit: "2 मीटर का")."""
    if unit_at(toks, after, num)[0] is not None:
        return False
    word = key_at(toks, after)
    if num.value >= SMALLEST_BARE_PRICE and (word in tables().price_suffix or price_word_after(toks, after)):
        return True
    return word not in word_lists()["counted_noun"] and field_before(toks, num.first) == "price"
