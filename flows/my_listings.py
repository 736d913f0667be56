"""The artisan's own listings ("meri listing"): shown numbered from 1, marked sold out, withdrawn, repriced."""
from __future__ import annotations

from flows import questions
from flows.answer import Answer
from flows.turn import Turn
from flows.types import ListingRef, UpdateListing


def lines(turn: Turn, refs) -> str:
    """The artisan's listings, one numbered line each."""
    return "\n".join(turn.text("listing_line", number=r.number, product=r.product,
                               status=turn.text(f"status_{r.status}")) for r in refs)


def show(turn: Turn) -> None:
    refs = turn.inbound.listings
    if not refs:
        return turn.note("my_listings_none")
    turn.note("my_listings", lines=lines(turn, refs), number=refs[-1].number)  # an example they have


def number_of(turn: Turn, picking: bool = False) -> int | None:
    """The number of one of the artisan's listings: nlu's `listing_number` ("2 bik gaya"), or, answering
    "which one?", a bare number or an ordinal ("2", "doosra")."""
    numbers = {r.number for r in turn.inbound.listings}
    return next((int(c) for c in _said(turn.answer, picking) if _a_number(c) and c in numbers), None)


def _said(answer: Answer, picking: bool) -> list:
    """The numbers that may name a listing: nlu's `listing_number`, and when picking a bare number or ordinal."""
    said = [_value(answer.first("listing_number"))]
    return [*said, answer.bare_number(), _value(answer.first("ordinal"))] if picking else said


def _value(entity: dict | None):
    return entity["value"] if entity else None


def _a_number(value) -> bool:
    return isinstance(value, (int, float))


def act(turn: Turn, action: str, amount=None, picking: bool = False) -> bool:
    """Sold out, withdraw or a new price for listing number N; asks which one when no number is given."""
    refs = {r.number: r for r in turn.inbound.listings}
    if not refs:
        turn.note("my_listings_none")
        questions.ask_again(turn)
        return True
    number = number_of(turn, picking)
    amount = _amount(turn) if amount is None and action == "price" else amount
    if number is None:
        return _ask_which(turn, refs, action, amount)
    if ACTIONS[action](turn, refs[number], amount):
        questions.ask_again(turn)
    return True


def _ask_which(turn: Turn, refs: dict[int, ListingRef], action: str, amount) -> bool:
    """No number of theirs was given: "which one?" (and, for a number they have not, which numbers there are)."""
    named = (turn.answer.first("listing_number") or {}).get("value")
    if isinstance(named, (int, float)):
        turn.note("no_such_listing", number=int(named), lines=lines(turn, refs.values()))
    turn.state.pending = {"kind": "which_listing", "action": action, "amount": amount}
    turn.ask("which_listing")
    return True


def _vars(number: int, ref: ListingRef) -> dict:
    return {"number": number, "product": ref.product}


def _sold_out(turn: Turn, ref: ListingRef, amount) -> bool:
    turn.effect(UpdateListing(ref.id, {"status": "sold_out"}))
    turn.note("marked_sold", **_vars(ref.number, ref))
    return True


def _withdraw(turn: Turn, ref: ListingRef, amount) -> bool:
    """Withdrawing is asked again ("sure?"): False, the question is that one."""
    questions.sure(turn, "withdraw", "ask_withdraw", listing_id=ref.id, vars=_vars(ref.number, ref))
    return False


def _price(turn: Turn, ref: ListingRef, amount) -> bool:
    if not amount:
        turn.note("price_missing")
        return True
    turn.effect(UpdateListing(ref.id, {"price": amount}))
    turn.note("price_changed", amount=amount, **_vars(ref.number, ref))
    return True


def _amount(turn: Turn) -> int | None:
    money = turn.answer.first("amount_of_money")
    return int(float(money["value"])) if money else None


ACTIONS = {"sold_out": _sold_out, "withdraw": _withdraw, "price": _price}
