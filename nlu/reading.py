"""One message being read for sizes, prices and quantities: its tokens and numbers, and what is spoken for."""
from typing import NamedTuple

from .numbers import Num
from .tokens import Token


Found = tuple[dict, int, int]  # what a reader finds: an entity, and the tokens first..stop-1 it uses


class Reading(NamedTuple):
    """The tokens and numbers of a message, and which of them the entities found so far have used."""
    toks: list[Token]
    numbers: list[Num]
    number_at: dict[int, Num]  # the numbers by their first token
    taken: set[int]  # first tokens of the numbers an entity has used
    used: list[bool]  # for each token, whether an entity has used it


def start_reading(toks: list[Token], nums: list[Num]) -> Reading:
    """A reading of `toks` with nothing used yet."""
    return Reading(toks, nums, {num.first: num for num in nums}, set(), [False] * len(toks))


def free_number_at(reading: Reading, pos: int) -> Num | None:
    """The number starting at token `pos`, unless an entity has used it already."""
    return None if pos in reading.taken else reading.number_at.get(pos)
