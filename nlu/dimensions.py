"""Sizes as length × width (× height): "6 बाई 4 फीट", "6x4", "लंबाई 6 फीट चौड़ाई 4 फीट", "6 फुट लंबी 4 फुट चौड़ी"."""
from typing import NamedTuple

from .lexicon import tables
from .numbers import Num, tidy
from .reading import Found, Reading, free_number_at
from .spans import key_at, mark_used, skip_words, span
from .tokens import Token
from .units import unit_at

_LABEL_GAP = {":", "=", "-", "है", "hai", "में", "mein", "me", "is"}  # "लंबाई: 6", "length is 6"
_SIDE_GAP = {"और", "aur", ",", "and", "x", "।"}  # between one side and the next
_SIDES = ("length", "width", "height")



class _Sides(NamedTuple):
    """Numbers named as sides ({"length": num, ...}) and their unit (the last one given)."""
    sides: dict[str, Num]
    unit: str | None


def size_by(reading: Reading, num: Num) -> Found | None:
    """"6 बाई 4 फीट", "6x4", "6 * 4 * 2 ft", "छह बाई चार": `num` and up to two more after "by" words."""
    sides, unit, stop = _sides_by(reading, num)
    if len(sides) < 2:
        return None
    _take_sides(reading, sides)
    value = dict(zip(_SIDES, (tidy(side.value) for side in sides))) | {"unit": unit}
    return span("dimensions", value, reading.toks, num.first, stop), num.first, stop


def _sides_by(reading: Reading, num: Num) -> tuple[list[Num], str | None, int]:
    """The free numbers joined by "by" words from `num` on, their unit, and the position after them."""
    sides, (unit, pos) = [num], unit_at(reading.toks, num.after, num)
    while len(sides) < len(_SIDES) and key_at(reading.toks, pos) in tables().by:
        following = free_number_at(reading, pos + 1)
        if following is None:
            break
        sides.append(following)
        side_unit, pos = unit_at(reading.toks, following.after, following)
        unit = side_unit or unit
    return sides, unit, pos


def labelled_sizes(reading: Reading) -> list[dict]:
    """"लंबाई 6 फीट चौड़ाई 4 फीट (ऊंचाई 2)": each side's name before its number."""
    out, pos = [], 0
    while pos < len(reading.toks):
        found, stop = _sides_named_before(reading, pos)
        if not _length_and_width(found):
            pos += 1
            continue
        out.append(_dimensions(reading, found, pos, stop))
        pos = stop
    return out


def _sides_named_before(reading: Reading, first: int) -> tuple[_Sides, int]:
    """Side names from token `first` on, each followed by a free number and maybe a unit; and the position
    after the last side's number and unit."""
    toks, sides, unit, pos, stop = reading.toks, {}, None, first, first
    while (side := _new_side_at(toks, pos, sides)) is not None:
        num = free_number_at(reading, skip_words(toks, pos + 1, _LABEL_GAP))
        if num is None:
            break
        sides[side] = num
        side_unit, stop = unit_at(toks, num.after, num)
        unit = side_unit or unit
        pos = skip_words(toks, stop, _SIDE_GAP)
    return _Sides(sides, unit), stop


def sizes_labelled_after(reading: Reading) -> list[dict]:
    """"6 फुट लंबी 4 फुट चौड़ी": each side's name after its number and unit."""
    out, nums, index = [], reading.numbers, 0
    while index < len(nums):
        found = _sides_named_after(reading, index)
        if not _length_and_width(found):
            index += 1
            continue
        last = max(num.after for num in found.sides.values())
        out.append(_dimensions(reading, found, nums[index].first, _label_from(reading.toks, last) + 1))
        index += len(found.sides)
    return out


def _sides_named_after(reading: Reading, index: int) -> _Sides:
    """Free numbers from the index-th on, one after another, each followed by its unit and a new side name."""
    toks, nums = reading.toks, reading.numbers
    sides, unit, end = {}, None, nums[index].first
    for num in nums[index:]:
        side_unit, pos = unit_at(toks, num.after, num)
        side = _new_side_at(toks, pos, sides) if _free_from(reading, num, end) else None
        if side is None:
            break
        sides[side], unit = num, side_unit or unit
        end = skip_words(toks, pos + 1, _SIDE_GAP)
    return _Sides(sides, unit)


def _free_from(reading: Reading, num: Num, end: int) -> bool:
    """Is `num` free and at or after token `end` (not inside the side read before it)?"""
    return num.first >= end and num.first not in reading.taken


def _new_side_at(toks: list[Token], pos: int, sides: dict[str, Num]) -> str | None:
    """The side ("length", "width", "height") a size word at `pos` names, if it is not among `sides` yet."""
    side = tables().size_label.get(key_at(toks, pos))
    return None if side in sides else side


def _label_from(toks: list[Token], pos: int) -> int:
    """The position of the first size word from `pos` on (the message's length if there is none)."""
    while pos < len(toks) and toks[pos].key not in tables().size_label:
        pos += 1
    return pos


def _length_and_width(found: _Sides) -> bool:
    """Do the sides found make a size? A length alone ("लंबाई 6 फीट") is no size."""
    return "length" in found.sides and "width" in found.sides


def _take_sides(reading: Reading, sides) -> None:
    """The numbers of a size are used: no other entity reads them."""
    reading.taken.update(side.first for side in sides)


def _dimensions(reading: Reading, found: _Sides, first: int, stop: int) -> dict:
    """The dimensions entity over tokens first..stop-1; its numbers and tokens are used."""
    value = {side: tidy(num.value) for side, num in found.sides.items()} | {"unit": found.unit}
    entity = span("dimensions", value, reading.toks, first, stop)
    _take_sides(reading, found.sides.values())
    mark_used(reading.used, first, stop)
    return entity
