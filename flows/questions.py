"""Questions outside a flow's steps: the menu, a "sure?" that waits for one answer, which field to change, and
the current question asked again."""
from __future__ import annotations

from flows import choices, filling
from flows.listing import LISTING
from flows.model import Flow
from flows.onboarding import ONBOARDING
from flows.turn import Turn

MENU = (("intent:new_listing", "btn_new"), ("intent:my_listings", "btn_my_listings"), ("intent:human", "btn_human"))
YES_NO = (("intent:affirm", "btn_yes"), ("intent:deny", "btn_no"))
RESUME = (("intent:affirm", "btn_continue"), ("intent:deny", "btn_fresh"))
FLOWS = {flow.name: flow for flow in (ONBOARDING, LISTING)}


def menu(turn: Turn, key: str = "menu") -> None:
    """Between listings: a new listing, the artisan's listings, or a person."""
    turn.state.flow, turn.state.step = "menu", "menu"
    turn.ask(key, list(MENU))


def sure(turn: Turn, kind: str, key: str, buttons=YES_NO, **data) -> None:
    """A question that waits for its answer before anything else (pending.py reads it); `data` is kept for it."""
    turn.state.pending = {"kind": kind, **data}
    turn.ask(key, list(buttons), **data.get("vars", {}))


def which_field(turn: Turn) -> None:
    """Which field to change, as a numbered list."""
    entries = [(f"field:{n}", entry[turn.lang]) for n, entry in enumerate(choices.options("field"), 1)]
    turn.state.pending = {"kind": "pick_field"}
    turn.ask_numbered("ask_change", entries)


def flow_of(turn: Turn) -> Flow | None:
    """The flow being filled (None at the menu)."""
    return FLOWS.get(turn.state.flow or "")


def ask_again(turn: Turn) -> None:
    """Ask the current question again (after a command that did not move the conversation)."""
    flow = flow_of(turn)
    if flow is None:
        return menu(turn)
    filling.ask(turn, flow, filling.next_step(turn, flow) or flow.get(turn.state.step))
