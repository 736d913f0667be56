"""`step()`: one inbound message in, the new state, replies and effects out. Pure: no I/O, no clock."""
from __future__ import annotations

from datetime import datetime, timedelta

from flows import commands, corrections, draft, filling, menu, onboarding, pending, questions, words
from flows.listing import LISTING
from flows.onboarding import ONBOARDING
from flows.state import State
from flows.turn import Turn
from flows.types import Inbound, Result, SetOptOut

RESUME_AFTER = timedelta(hours=12)  # a draft untouched this long gets "continue?" first
NUDGE_AFTER = timedelta(hours=20)  # inside WhatsApp's 24-hour window
SMALL_TALK = (None, "greet", "thanks", "inform", "affirm")  # intents of a message that carries no answer


def new_state(language: str = "hi") -> State:
    return State(flow="onboarding", step="consent", language=language)


def step(state: State | None, inbound: Inbound, parse: dict | None) -> Result:
    """Advance the conversation by one inbound message (`parse`: nlu's reading of its text)."""
    fresh = state is None or state.deleted
    turn = Turn.begin(new_state(state.language if state else "hi") if fresh else state, inbound, parse)
    asked_for_language = choose_language(turn)
    turn.state.nudged_at = None
    if inbound.refused_media:
        turn.note("media_unsupported")
    if fresh:
        onboarding.start(turn)
        onboarding.remember_opener(turn)
    elif asked_for_language:
        questions.ask_again(turn)
    else:
        pick_option(turn)
        route(turn)
    turn.state.last_at = inbound.now
    return turn.result()


def pick_option(turn: Turn) -> None:
    """A tapped button, or a number answering a numbered list, becomes the option picked."""
    answer = turn.answer
    answer.option = turn.inbound.button or _numbered(turn) or _titled(turn)
    if answer.option and answer.option.startswith("intent:"):
        answer.intent_override = answer.option.removeprefix("intent:")


def _numbered(turn: Turn) -> str | None:
    """The option of the number sent, when it is one of those offered."""
    number, offered = turn.answer.bare_number(), turn.state.offered
    return offered[number - 1][0] if number and 1 <= number <= len(offered) else None


def _titled(turn: Turn) -> str | None:
    """A button's title typed (or sent as text by a client without quick replies)."""
    typed = turn.answer.text.lower()
    return next((option_id for option_id, title in turn.state.offered if title.lower() == typed), None)


def choose_language(turn: Turn) -> bool:
    """nlu's `language` intent switches and says so (True); written English or Devanagari switches quietly."""
    answer = turn.answer
    asked = (answer.first("language") or {}).get("value") if answer.intent == "language" else None
    if asked in ("hi", "en"):
        turn.state.language = asked
        turn.note("language_set")
        return True
    text = answer.text.lower()
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        turn.state.language = "hi"
    elif text.isascii() and len(set(text.replace(",", " ").replace(".", " ").split())
                                 & set(words.words()["english_markers"])) >= 2:
        turn.state.language = "en"
    return False


def route(turn: Turn) -> None:
    """Opt-out, a waiting question, a draft left for days, a command, a correction; else the flow's answer."""
    if turn.state.opted_out:
        turn.state.opted_out = False
        turn.effect(SetOptOut(False))
        turn.note("welcome_back")
    if pending.handle(turn):
        return
    if stale_draft(turn):
        return questions.sure(turn, "resume", "ask_resume", questions.RESUME)
    if commands.handle(turn):
        return
    flow = turn.state.flow
    if flow == "listing" and corrections.handle(turn):
        return
    if flow == "onboarding":
        onboarding.handle(turn, on_done=draft.start)
    elif flow == "listing":
        draft.handle(turn)
    else:
        menu.handle(turn)


def stale_draft(turn: Turn) -> bool:
    """A half-done listing untouched for long, and the message does not carry an answer."""
    state, answer = turn.state, turn.answer
    if state.flow != "listing" or not state.has_draft() or not state.last_at:
        return False
    if turn.inbound.now - state.last_at < RESUME_AFTER:
        return False
    carries = turn.inbound.photos or answer.parse.get("entities") or answer.option
    return not carries and answer.intent in SMALL_TALK


def hand_back(state: State, step_name: str, now: datetime) -> Result:
    """Staff hand the conversation back to the bot at `step_name`; the reply asks that step's question."""
    turn = Turn.begin(state, Inbound(now), None)
    flow = ONBOARDING if step_name in ONBOARDING.names() else LISTING
    if step_name in flow.names():
        _ask_from(turn, flow, step_name)
    else:
        questions.menu(turn)
    turn.state.last_at = now
    return turn.result()


def _ask_from(turn: Turn, flow, step_name: str) -> None:
    """Staff's step asked afresh: nothing waiting, nothing missed, asked before the first empty one."""
    turn.state.pending, turn.state.misses = None, {}
    if step_name != flow.steps[-1].name:
        turn.state.focus = step_name
    if step_name == "photos":
        turn.state.photos_done = False
    filling.ask(turn, flow, flow.get(step_name))


def nudge(state: State | None, now: datetime) -> Result | None:
    """A reminder for a listing left half-done; None when there is nothing to say."""
    if not _left_half_done(state, now):
        return None
    turn = Turn.begin(state, Inbound(now), None)
    turn.state.nudged_at = now
    turn.ask("nudge", list(questions.RESUME))
    turn.state.pending = {"kind": "resume"}
    return turn.result()


def _left_half_done(state: State | None, now: datetime) -> bool:
    """A listing draft with something in it, untouched for long, not yet nudged, the artisan not opted out."""
    if not state or state.opted_out or state.flow != "listing" or state.nudged_at:
        return False
    return state.has_draft() and bool(state.last_at) and now - state.last_at >= NUDGE_AFTER
