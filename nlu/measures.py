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

Where each is read: dimensions.py (sizes), prices.py and rates.py (money and what it is for), quantities.py
(quantities, stock, content), counts.py (bare counts), uncertain.py (values taken back, doubtful amounts),
size_kinds.py (shoe, free, kids, letter sizes, capacities).
"""
from .counts import bare_counts
from .dimensions import labelled_sizes, size_by, sizes_labelled_after
from .numbers import Num
from .prices import money_at
from .quantities import mark_stock_and_content, quantity_at, without_pieces_being_made, without_quantities_in_money
from .reading import Found, Reading, start_reading
from .size_kinds import size_kinds
from .spans import mark_used
from .tokens import Token
from .uncertain import mark_doubtful_amounts, take_back_replaced


def extract(toks: list[Token], nums: list[Num]) -> tuple[list[dict], list[bool], list[Num]]:
    """Entities for sizes, money and quantities; the tokens they use; the numbers left over."""
    reading = start_reading(toks, nums)
    out = labelled_sizes(reading) + sizes_labelled_after(reading) + _around_numbers(reading)
    rest = [num for num in nums if _left_over(reading, num)]
    # --- issue 17: counts, stock, values taken back, doubt (kept apart from the readings above) ---
    out = without_pieces_being_made(toks, without_quantities_in_money(out))
    counts, rest = bare_counts(toks, rest, reading.used, _has_money(out))
    out += counts
    mark_stock_and_content(toks, out)
    out, rest = take_back_replaced(toks, out, rest, reading.used)
    mark_doubtful_amounts(toks, out, nums)
    return out + size_kinds(toks, nums), reading.used, rest


def _around_numbers(reading: Reading) -> list[dict]:
    """Each free number as a size ("6x4"), else money, else a quantity ("2 मीटर"), if it is one."""
    out = []
    for num in reading.numbers:
        found = None if num.first in reading.taken else _first_reading(reading, num)
        if found:
            entity, first, stop = found
            reading.taken.add(num.first)
            mark_used(reading.used, first, stop)
            out.append(entity)
    return out


def _first_reading(reading: Reading, num: Num) -> Found | None:
    """What the first of the readers finds the number to be (entity, first, stop), or None."""
    for read in _READERS:
        found = read(reading, num)
        if found:
            return found
    return None


_READERS = (size_by, money_at, quantity_at)  # in this order: "6 x 4 ft" is a size, "500 रुपये मीटर" a price


def _left_over(reading: Reading, num: Num) -> bool:
    """Is the number free, and none of its tokens used (by a size or price around it)?"""
    return num.first not in reading.taken and True not in reading.used[num.first:num.after]


def _has_money(out: list[dict]) -> bool:
    """Is there an amount of money among the entities?"""
    return any(entity["entity"] == "amount_of_money" for entity in out)
