"""`step()`: one inbound message in, the new state, replies and effects out. Pure: no I/O, no clock."""
from __future__ import annotations

from datetime import datetime, timedelta

from flows import commands, corrections, filling, listing, menu, onboarding, parsers, pending
from flows.turn import Turn
from flows.types import Inbound, Result, SetOptOut

RESUME_AFTER = timedelta(hours=12)  # a draft untouched this long gets "continue?" first
NUDGE_AFTER = timedelta(hours=20)  # inside WhatsApp's 24-hour window


def new_state() -> dict:
    return {"flow": "onboarding", "step": "consent", "slots": {}, "language": "hi"}


def step(state: dict | None, inbound: Inbound, parse: dict | None) -> Result:
    """Advance the conversation by one inbound message."""
    fresh = state is None or state.get("deleted")
    turn = Turn.begin(new_state() if fresh else state, inbound, parse)
    if fresh:
        turn.state["language"] = (state or {}).get("language", "hi")
    asked_for_language = choose_language(turn)
    turn.state.pop("nudged_at", None)
    if inbound.refused_media:
        turn.note("media_unsupported")
    if fresh:
        onboarding.start(turn)
        onboarding.remember_opener(turn)
    elif asked_for_language:
        commands.continue_where_we_were(turn)
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
    typed = answer.text.lower()
    if turn.inbound.button:
        answer.option = turn.inbound.button
    elif number and 1 <= number <= len(offered):
        answer.option = offered[number - 1][0]
    else:  # a button's title typed (or sent as text by a client without quick replies)
        answer.option = next((option_id for option_id, title in offered if title.lower() == typed), None)
    if answer.option and answer.option.startswith("intent:"):
        answer.intent_override = answer.option.removeprefix("intent:")


def choose_language(turn: Turn) -> bool:
    """nlu's `language` intent switches and says so (True); written English or Devanagari switches quietly."""
    answer = turn.answer
    if answer.intent == "language":
        asked = (answer.first("language") or {}).get("value")
        if asked in ("hi", "en"):
            turn.state["language"] = asked
            turn.note("language_set")
            return True
    text = answer.text.lower()
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        turn.state["language"] = "hi"
    elif text.isascii() and len(set(text.replace(",", " ").replace(".", " ").split())
                                 & set(parsers.words()["english_markers"])) >= 2:
        turn.state["language"] = "en"
    return False


def route(turn: Turn) -> None:
    """Opt-out, a waiting question, a draft left for days, a command, a correction; else the flow's answer."""
    if turn.state.pop("opted_out", None):
        turn.effect(SetOptOut(False))
        turn.note("welcome_back")
    if pending.handle(turn):
        return
    if stale_draft(turn):
        return pending.ask(turn, "resume", "ask_resume", pending.RESUME)
    if commands.handle(turn):
        return
    flow = turn.state.get("flow")
    if flow == "listing" and corrections.handle(turn):
        return
    if flow == "onboarding":
        onboarding.handle(turn, on_done=listing.start)
    elif flow == "listing":
        listing.handle(turn)
    else:
        menu.handle(turn)


def stale_draft(turn: Turn) -> bool:
    """A half-done listing untouched for long, and the message does not carry an answer."""
    last = turn.state.get("last_at")
    if turn.state.get("flow") != "listing" or not commands.has_draft(turn) or not last:
        return False
    if turn.inbound.now - datetime.fromisoformat(last) < RESUME_AFTER:
        return False
    answer = turn.answer
    return not (turn.inbound.photos or answer.parse.get("entities") or answer.option) and answer.intent in (
        None, "greet", "thanks", "inform", "affirm")


def hand_back(state: dict, step_name: str, now: datetime) -> Result:
    """Staff hand the conversation back to the bot at `step_name`; the reply asks that step's question."""
    turn = Turn.begin(state, Inbound(now), None)
    flow = onboarding.ONBOARDING if step_name in onboarding.ONBOARDING.names() else listing.LISTING
    if step_name not in flow.names():
        menu.ask(turn)
    else:
        turn.state.pop("pending", None)
        turn.state["misses"] = {}
        if step_name != flow.steps[-1].name:
            turn.state["focus"] = step_name
        if step_name == "photos":
            turn.state.pop("photos_done", None)
        filling.ask(turn, flow, flow.get(step_name))
    turn.state["last_at"] = now.isoformat()
    return turn.result()


def nudge(state: dict, now: datetime) -> Result | None:
    """A reminder for a listing left half-done; None when there is nothing to say."""
    if not state or state.get("opted_out") or state.get("flow") != "listing" or state.get("nudged_at"):
        return None
    if not any(v not in (None, "", []) for v in state.get("slots", {}).values()) or not state.get("last_at"):
        return None
    if now - datetime.fromisoformat(state["last_at"]) < NUDGE_AFTER:
        return None
    turn = Turn.begin(state, Inbound(now), None)
    turn.state["nudged_at"] = now.isoformat()
    turn.ask("nudge", list(pending.RESUME))
    turn.state["pending"] = {"kind": "resume"}
    return turn.result()
