"""Questions that wait for one answer before anything else: "sure?" confirmations and small picks."""
from __future__ import annotations

from flows import parsers
from flows.turn import Turn
from flows.types import DeleteMyData, Retry, UpdateListing

YES_NO = (("intent:affirm", "btn_yes"), ("intent:deny", "btn_no"))
RESUME = (("intent:affirm", "btn_continue"), ("intent:deny", "btn_fresh"))


def ask(turn: Turn, kind: str, key: str, buttons=YES_NO, **data) -> None:
    turn.state["pending"] = {"kind": kind, **data}
    turn.ask(key, list(buttons), **data.get("vars", {}))


def handle(turn: Turn) -> bool:
    """Answer a waiting question; False (and the question dropped) when the message is about something else."""
    pending = turn.state.get("pending")
    if not pending:
        return False
    if pending["kind"] == "pick_field":
        from flows import corrections  # corrections needs the listing flow, which needs this module

        return corrections.pick(turn)
    if pending["kind"] == "which_listing":
        turn.state.pop("pending")
        from flows import commands  # commands ask these questions

        if commands.listing_number(turn, picking=True) is None:
            return False
        return commands.on_listing(turn, pending["action"], pending.get("amount"), picking=True)
    agreed = parsers.yes_no(turn.answer)
    if isinstance(agreed, Retry) and pending["kind"] == "price_check":
        agreed = _same_price(turn, pending)
    turn.state.pop("pending")
    if isinstance(agreed, Retry):
        return False
    ANSWERS[pending["kind"]](turn, agreed, pending)
    return True


def _cancel(turn: Turn, agreed: bool, pending: dict) -> None:
    from flows import listing, menu

    if agreed:
        listing.discard(turn)
        turn.note("cancelled")
        return menu.ask(turn)
    turn.note("kept_going")
    listing.ask_next(turn)


def _restart(turn: Turn, agreed: bool, pending: dict) -> None:
    from flows import listing

    if agreed:
        listing.discard(turn)
        turn.note("restarted")
        return listing.start(turn)
    turn.note("kept_going")
    listing.ask_next(turn)


def _resume(turn: Turn, agreed: bool, pending: dict) -> None:
    from flows import listing

    if agreed:
        turn.note("resumed")
        return listing.ask_next(turn)
    listing.discard(turn)
    turn.note("restarted")
    listing.start(turn)


def _delete(turn: Turn, agreed: bool, pending: dict) -> None:
    from flows import commands

    if agreed:
        turn.effect(DeleteMyData())
        lang = turn.lang
        turn.state.clear()
        turn.state.update(flow="onboarding", step="consent", slots={}, language=lang, deleted=True)
        turn.note("deleted")
        return
    turn.note("delete_kept")
    commands.continue_where_we_were(turn)


def _withdraw(turn: Turn, agreed: bool, pending: dict) -> None:
    from flows import commands

    if agreed:
        turn.effect(UpdateListing(pending["listing_id"], {"status": "withdrawn"}))
        turn.note("withdrawn", **pending["vars"])
    else:
        turn.note("withdraw_kept")
    commands.continue_where_we_were(turn)


def _same_price(turn: Turn, pending: dict) -> bool | Retry:
    """The price said again, the same, is a yes ("dhai hazaar" twice); another price is taken as the answer."""
    from flows import listing

    said = listing.LISTING.get("price").parse(turn.answer)
    if isinstance(said, Retry):
        return said
    if said["amount"] != pending["price"]["amount"]:
        pending["price"] = said  # a different amount: that is the price they mean
    return True


def _price_check(turn: Turn, agreed: bool, pending: dict) -> None:
    """The price read back ("₹1,100 (gyarah sau rupaye), is that right?"): yes keeps it; no asks again, in digits."""
    from flows import filling, listing

    if agreed:
        filling.set_slot(turn, listing.LISTING.get("price"), pending["price"])
        return listing.ask_next(turn)
    filling.ask(turn, listing.LISTING, listing.LISTING.get("price"), Retry("price_check"))


ANSWERS = {"price_check": _price_check, "cancel": _cancel, "restart": _restart, "resume": _resume, "delete": _delete, "withdraw": _withdraw}
