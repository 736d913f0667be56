"""Amounts of money: "₹ 1,200", "Rs1200", "पांच सौ रुपये", "1200/-", "1200 का", "500 रुपये प्रति मीटर",
"दर्जन के 600", "350 each", "1500 for the set"."""
from .lexicon import tables
from .numbers import Num, tidy
from .price_words import SMALLEST_BARE_PRICE, field_before, price_word_after
from .rates import each_after, rate_after, unit_before
from .reading import Found, Reading
from .spans import key_at, span, touches_previous
from .tokens import Token
from .units import unit_at
from .word_lists import word_lists



def money_at(reading: Reading, num: Num) -> Found | None:
    """The amount of money `num` is, with its currency and the unit it is for, or None if it is no price."""
    first = _first_with_currency(reading, num)
    value, after, marked = _marks_after(reading, num, first < num.first)
    per, stop, first = _unit_of_sale(reading, num, after, marked, first)
    if per is None and not (marked or _reads_as_price(reading.toks, num, after)):
        return None
    extra = {"unit": "INR"} | ({"per": per} if per else {})
    return span("amount_of_money", tidy(value), reading.toks, first, stop, **extra), first, stop


def _first_with_currency(reading: Reading, num: Num) -> int:
    """The amount's first token: a currency word or sign before the number ("₹ 500", "Rs. 500") unless an amount
    before has used it ("350 rs 30 h": rs is 350's), else the number's own."""
    pos = num.first - 1 - _currency_with_dot(reading.toks, num.first - 1)
    return pos if key_at(reading.toks, pos) in tables().currency and not reading.used[pos] else num.first


def _currency_with_dot(toks: list[Token], pos: int) -> bool:
    """Is token `pos` the dot of "Rs."?"""
    return key_at(toks, pos) == "." and key_at(toks, pos - 1) in tables().currency


def _marks_after(reading: Reading, num: Num, money_before: bool) -> tuple[float, int, bool]:
    """A currency, paise or "/-" after the number: (value, position after the marks, whether it is money)."""
    word = key_at(reading.toks, num.after)
    if word in tables().currency:
        return _rupees_and_paise(reading, num)
    if word in tables().paise and not money_before:
        return num.value / 100, num.after + 1, True  # "50 पैसे"
    if _slash_dash(reading.toks, num.after):
        return num.value, num.after + 2, True
    return num.value, num.after, money_before


def _slash_dash(toks: list[Token], pos: int) -> bool:
    """"1200/-": the way a price is written."""
    return key_at(toks, pos) == "/" and key_at(toks, pos + 1) == "-"


def _rupees_and_paise(reading: Reading, num: Num) -> tuple[float, int, bool]:
    """"500 Rs.", "10 रुपये 50 पैसे": rupees after the number, and paise after them."""
    after = num.after + 1 + _written_dot(reading.toks, num.after + 1)
    paise = reading.number_at.get(after)
    if paise is None or key_at(reading.toks, paise.after) not in tables().paise:
        return num.value, after, True
    reading.taken.add(paise.first)
    return num.value + paise.value / 100, paise.after + 1, True


def _written_dot(toks: list[Token], pos: int) -> bool:
    """Is token `pos` a dot written onto the word before it ("Rs.")?"""
    return key_at(toks, pos) == "." and touches_previous(toks, pos)


def _unit_of_sale(reading: Reading, num: Num, after: int, marked: bool,
                  first: int) -> tuple[str | None, int, int]:
    """The unit the price is for, after it or before it: (unit or None, position after the price, its first
    token). Without a unit, the price ends at `after`."""
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
    """No rupees and no unit of sale, but a price all the same: "450 ka", "1001 shagun wala rate", "कीमत 900",
    "price: 1500" (but not a number with a unit: "2 मीटर का")."""
    if unit_at(toks, after, num)[0] is not None:
        return False
    return _price_mark_after(toks, num, after) or _named_price(toks, num, after)


def _price_mark_after(toks: list[Token], num: Num, after: int) -> bool:
    """"450 ka", "1001 shagun wala rate": a price mark or price word after a number that can be a price."""
    return num.value >= SMALLEST_BARE_PRICE and (
        key_at(toks, after) in tables().price_suffix or price_word_after(toks, after))


def _named_price(toks: list[Token], num: Num, after: int) -> bool:
    """"कीमत 900", "price: 1500", "rate 800 hai": a price word before the number (not before days or photos:
    "rate 2 din mein")."""
    return key_at(toks, after) not in word_lists()["counted_noun"] and field_before(toks, num.first) == "price"
