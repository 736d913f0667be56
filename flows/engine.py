"""`step()`: one inbound message in, the new state, replies and effects out. Pure: no I/O, no clock."""
from __future__ import annotations

from flows import onboarding
from flows.turn import Turn
from flows.types import Inbound, Result


def new_state() -> dict:
    return {"flow": "onboarding", "step": "consent", "slots": {}, "language": "hi"}


def step(state: dict | None, inbound: Inbound, parse: dict | None) -> Result:
    """Advance the conversation by one inbound message."""
    turn = Turn.begin(state or new_state(), inbound, parse)
    if state is None:
        onboarding.start(turn)
    else:
        pick_option(turn)
        route(turn)
    turn.state["last_at"] = inbound.now.isoformat()
    return turn.result()


def pick_option(turn: Turn) -> None:
    """A tapped button, or a number answering a numbered list, becomes the option picked."""
    offered = turn.state.get("offered") or []
    answer = turn.answer
    number = answer.bare_number()
    if turn.inbound.button:
        answer.option = turn.inbound.button
    elif number and 1 <= number <= len(offered):
        answer.option = offered[number - 1]
    if answer.option and answer.option.startswith("intent:"):
        answer.intent_override = answer.option.removeprefix("intent:")


def route(turn: Turn) -> None:
    flow = turn.state.get("flow")
    if flow == "onboarding":
        onboarding.handle(turn, on_done=lambda t: None)
