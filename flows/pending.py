"""Answers to the questions that wait for one answer before anything else: "sure?" confirmations and small picks
(questions.py asks them)."""
from __future__ import annotations

from flows import corrections, draft, filling, my_listings, questions, words
from flows.listing import LISTING
from flows.state import State
from flows.turn import Turn
from flows.types import DeleteMyData, Retry, UpdateListing


def handle(turn: Turn) -> bool:
    """Answer a waiting question; False (and the question dropped) when the message is about something else."""
    pending = turn.state.pending
    if not pending:
        return False
    if pending["kind"] in PICKS:
        return PICKS[pending["kind"]](turn, pending)
    agreed = words.yes_no(turn.answer)
    if isinstance(agreed, Retry) and pending["kind"] == "price_check":
        agreed = _same_price(turn, pending)
    turn.state.pending = None
    if isinstance(agreed, Retry):
        return False
    ANSWERS[pending["kind"]](turn, agreed, pending)
    return True


def _which_listing(turn: Turn, pending: dict) -> bool:
    turn.state.pending = None
    if my_listings.number_of(turn, picking=True) is None:
        return False
    return my_listings.act(turn, pending["action"], pending.get("amount"), picking=True)


def _pick_field(turn: Turn, pending: dict) -> bool:
    return corrections.pick(turn)


def _cancel(turn: Turn, agreed: bool, pending: dict) -> None:
    if agreed:
        draft.discard(turn)
        turn.note("cancelled")
        return questions.menu(turn)
    turn.note("kept_going")
    draft.ask_next(turn)


def _restart(turn: Turn, agreed: bool, pending: dict) -> None:
    if agreed:
        draft.discard(turn)
        turn.note("restarted")
        return draft.start(turn)
    turn.note("kept_going")
    draft.ask_next(turn)


def _resume(turn: Turn, agreed: bool, pending: dict) -> None:
    if agreed:
        turn.note("resumed")
        return draft.ask_next(turn)
    draft.discard(turn)
    turn.note("restarted")
    draft.start(turn)


def _delete(turn: Turn, agreed: bool, pending: dict) -> None:
    if not agreed:
        turn.note("delete_kept")
        return questions.ask_again(turn)
    turn.effect(DeleteMyData())
    turn.state = State(flow="onboarding", step="consent", language=turn.lang, deleted=True)
    turn.note("deleted")


def _withdraw(turn: Turn, agreed: bool, pending: dict) -> None:
    if agreed:
        turn.effect(UpdateListing(pending["listing_id"], {"status": "withdrawn"}))
        turn.note("withdrawn", **pending["vars"])
    else:
        turn.note("withdraw_kept")
    questions.ask_again(turn)


def _same_price(turn: Turn, pending: dict) -> bool | Retry:
    """The price said again, the same, is a yes ("dhai hazaar" twice); another price is taken as the answer."""
    said = LISTING.get("price").parse(turn.answer)
    if isinstance(said, Retry):
        return said
    if said["amount"] != pending["price"]["amount"]:
        pending["price"] = said  # a different amount: that is the price they mean
    return True


def _price_check(turn: Turn, agreed: bool, pending: dict) -> None:
    """The price read back ("₹1,100 (gyarah sau rupaye), is that right?"): yes keeps it; no asks again, in digits."""
    if agreed:
        filling.set_slot(turn, LISTING.get("price"), pending["price"])
        return draft.ask_next(turn)
    filling.ask(turn, LISTING, LISTING.get("price"), Retry("price_check"))


PICKS = {"pick_field": _pick_field, "which_listing": _which_listing}
ANSWERS = {"price_check": _price_check, "cancel": _cancel, "restart": _restart, "resume": _resume, "delete": _delete,
           "withdraw": _withdraw}
