"""Global commands, understood at every step: help, back, skip, cancel, restart, human, stop, my listings..."""
from __future__ import annotations

from flows import filling, listing, menu, onboarding, pending, prompts
from flows.turn import Turn
from flows.types import FlagHelpdesk, SetOptOut, UpdateListing

HUMAN = (("intent:human", "btn_human"),)


def handle(turn: Turn) -> bool:
    """Run the command the message is, if it is one; True when handled."""
    command = COMMANDS.get(turn.answer.intent or "")
    return bool(command and command(turn) is not False)


def flow_of(turn: Turn):
    return {"onboarding": onboarding.ONBOARDING, "listing": listing.LISTING}.get(turn.state.get("flow"))


def continue_where_we_were(turn: Turn) -> None:
    """Ask the current question again (after a command that did not move the conversation)."""
    flow = flow_of(turn)
    if flow is None:
        return menu.ask(turn)
    filling.ask(turn, flow, filling.next_step(turn, flow) or flow.get(turn.state["step"]))


def _help(turn: Turn):
    turn.ask(f"help_{turn.state.get('step') or 'menu'}", list(HUMAN))


def _back(turn: Turn):
    flow = flow_of(turn)
    if flow is None or turn.state.get("step") == "consent":
        return continue_where_we_were(turn)
    previous = flow.before(turn.state["step"])
    if previous is None:
        turn.note("back_first")
        return continue_where_we_were(turn)
    turn.state["focus"] = previous.name
    if previous.name == "photos":
        turn.state.pop("photos_done", None)
    filling.ask(turn, flow, previous)


def _skip(turn: Turn):
    step_name = turn.state.get("step")
    if turn.state.get("flow") != "listing" or step_name == "photos":
        return False if step_name == "photos" else _required(turn)
    step = listing.LISTING.get(step_name)
    if not step.optional:
        return _required(turn)
    turn.state.setdefault("skipped", []).append(step.name)
    filling.clear_focus(turn, step.name)
    turn.note("skipped")
    listing.ask_next(turn)


def _done(turn: Turn):
    """"bas" / "ho gaya": ends the photos (the photo step reads it); at an optional question it skips it;
    elsewhere the question is asked again, without counting a miss."""
    step_name = turn.state.get("step")
    if turn.state.get("flow") != "listing" or step_name in ("photos", "confirm") or turn.inbound.photos:
        return False
    if listing.LISTING.get(step_name).optional:
        return _skip(turn)
    continue_where_we_were(turn)


def _required(turn: Turn):
    """"Don't know" or "skip" at a question the listing needs: say so and help with it, never count a miss."""
    turn.note("skip_required")
    step = turn.state.get("step")
    if turn.state.get("flow") == "listing" and step and prompts.has(f"help_{step}", turn.lang):
        return _help(turn)
    continue_where_we_were(turn)


def _cancel(turn: Turn):
    flow = turn.state.get("flow")
    if flow == "listing" and has_draft(turn):
        return pending.ask(turn, "cancel", "ask_cancel")
    if flow == "onboarding":
        turn.note("cancel_onboarding")
        return None
    turn.note("cancelled")
    menu.ask(turn)


def _restart(turn: Turn):
    flow = turn.state.get("flow")
    if flow == "listing" and has_draft(turn):
        return pending.ask(turn, "restart", "ask_restart")
    if flow == "onboarding":
        turn.state["slots"] = {k: v for k, v in turn.state["slots"].items() if k == "consent"}
        return continue_where_we_were(turn)
    listing.start(turn)


def _human(turn: Turn):
    turn.effect(FlagHelpdesk("asked_human", f"{turn.state.get('flow')}.{turn.state.get('step')}"))
    turn.note("human")


def _stop(turn: Turn):
    turn.effect(SetOptOut(True))
    turn.state["opted_out"] = True
    turn.note("stopped")


def _delete(turn: Turn):
    pending.ask(turn, "delete", "ask_delete")


def _lines(turn: Turn, refs) -> str:
    """The artisan's listings, one numbered line each."""
    return "\n".join(turn.text("listing_line", number=r.number, product=r.product,
                               status=turn.text(f"status_{r.status}")) for r in refs)


def _my_listings(turn: Turn):
    refs = turn.inbound.listings
    if not refs:
        turn.note("my_listings_none")
    else:
        turn.note("my_listings", lines=_lines(turn, refs), number=refs[-1].number)  # an example they have
    if turn.state.get("flow") == "menu":
        return None if refs else menu.ask(turn)
    continue_where_we_were(turn)


def _new_listing(turn: Turn):
    flow = turn.state.get("flow")
    if flow == "onboarding":
        return continue_where_we_were(turn)
    if flow == "listing" and has_draft(turn):
        return pending.ask(turn, "resume", "ask_resume", pending.RESUME)
    listing.start(turn)


def _greet(turn: Turn):
    if turn.answer.parse.get("entities") or turn.inbound.photos:
        return False
    name = (turn.state.get("profile") or {}).get("name")
    if name:
        turn.note("hello_again", name=name)
    continue_where_we_were(turn)


def _thanks(turn: Turn):
    if turn.answer.parse.get("entities") or turn.inbound.photos:
        return False
    turn.note("thanks_reply")
    if turn.state.get("flow") != "menu":
        continue_where_we_were(turn)


def _edit(turn: Turn):
    """"2 ki keemat 900 karo" changes a listing; other edits are corrections of the draft."""
    from flows import corrections  # corrections imports the listing flow, as this module does

    field = (turn.answer.first("field") or {}).get("value")
    if turn.answer.first("listing_number") and turn.inbound.listings and field in (None, "price") \
            and turn.state.get("flow") != "onboarding":
        return on_listing(turn, "price")
    if turn.state.get("flow") == "listing":
        return corrections.handle(turn)
    return False


def has_draft(turn: Turn) -> bool:
    return any(value not in (None, "", []) for value in turn.state.get("slots", {}).values())


def listing_number(turn: Turn, picking: bool = False) -> int | None:
    """The number of one of the artisan's listings: nlu's `listing_number` ("2 bik gaya"), or, answering
    "which one?", a bare number or an ordinal ("2", "doosra")."""
    answer = turn.answer
    found = answer.first("listing_number")
    candidates = [found["value"]] if found else []
    if picking:
        ordinal = answer.first("ordinal")
        candidates += [answer.bare_number(), ordinal and ordinal["value"]]
    numbers = {r.number for r in turn.inbound.listings}
    return next((int(c) for c in candidates if isinstance(c, (int, float)) and c in numbers), None)


def on_listing(turn: Turn, action: str, amount=None, picking: bool = False) -> bool:
    """Sold out, withdraw or a new price for listing number N; asks which one when no number is given."""
    refs = {r.number: r for r in turn.inbound.listings}
    if not refs:
        turn.note("my_listings_none")
        return continue_where_we_were(turn) or True
    number = listing_number(turn, picking)
    if amount is None and action == "price":
        amount = _amount(turn)
    if number is None:
        named = (turn.answer.first("listing_number") or {}).get("value")
        if isinstance(named, (int, float)):  # a number, but none of theirs: show which numbers there are
            turn.note("no_such_listing", number=int(named), lines=_lines(turn, refs.values()))
        turn.state["pending"] = {"kind": "which_listing", "action": action, "amount": amount}
        turn.ask("which_listing")
        return True
    ref = refs[number]
    vars = {"number": number, "product": ref.product}
    if action == "sold_out":
        turn.effect(UpdateListing(ref.id, {"status": "sold_out"}))
        turn.note("marked_sold", **vars)
    elif action == "withdraw":
        pending.ask(turn, "withdraw", "ask_withdraw", listing_id=ref.id, vars=vars)
        return True
    elif amount:
        turn.effect(UpdateListing(ref.id, {"price": amount}))
        turn.note("price_changed", amount=amount, **vars)
    else:
        turn.note("price_missing")
    continue_where_we_were(turn)
    return True


def _amount(turn: Turn) -> int | None:
    money = turn.answer.first("amount_of_money")
    return int(float(money["value"])) if money else None


COMMANDS = {
    "help": _help, "back": _back, "skip": _skip, "cancel": _cancel, "restart": _restart, "human": _human,
    "stop": _stop, "delete_my_data": _delete, "my_listings": _my_listings, "new_listing": _new_listing,
    "greet": _greet, "thanks": _thanks, "edit": _edit, "done": _done,
    "sold_out": lambda turn: on_listing(turn, "sold_out"), "withdraw": lambda turn: on_listing(turn, "withdraw"),
}
