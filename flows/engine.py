"""`step()`: one inbound message in, the new state, replies and effects out. Pure: no I/O, no clock."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from flows import commands, corrections, draft, filling, menu, onboarding, pending, profile, questions, waiting, words
from flows.listing import LISTING
from flows.model import Flow
from flows.onboarding import ONBOARDING
from flows.state import State
from flows.turn import Turn
from flows.types import Inbound, Result, SetOptOut

RESUME_AFTER = timedelta(hours=12)  # a draft untouched this long gets "continue?" first
NUDGE_AFTER = timedelta(hours=20)  # inside WhatsApp's 24-hour window
SMALL_TALK = (None, "greet", "thanks", "inform", "affirm")  # intents of a message that carries no answer
LANGUAGES = ("hi", "en")
ENGLISH_AFTER = 2  # common English words in a message (and no Devanagari) that switch to English


def new_state(before: State | None = None) -> State:
    """A first contact's state (in the language of a conversation whose data was deleted)."""
    return State(flow="onboarding", step="consent", language=before.language if before else "hi")


def step(state: State | None, inbound: Inbound, parse: dict | None) -> Result:
    """Advance the conversation by one inbound message (`parse`: nlu's reading of its text)."""
    fresh = state is None or state.deleted
    turn = Turn.begin(new_state(state) if fresh else state, inbound, parse)
    switched = choose_language(turn)
    turn.state.nudged_at = None
    if inbound.refused_media:
        turn.note("media_unsupported")
    if fresh:
        _first_contact(turn)
    elif switched:
        questions.ask_again(turn)
    else:
        _answer(turn)
    turn.state.last_at = inbound.now
    return turn.result()


def _first_contact(turn: Turn) -> None:
    onboarding.start(turn)
    onboarding.remember_opener(turn)


def _answer(turn: Turn) -> None:
    pick_option(turn)
    route(turn)


def pick_option(turn: Turn) -> None:
    """A tapped button, or a number answering a numbered list (or an option's title typed), is the option picked."""
    turn.answer.pick(turn.inbound.button or _numbered(turn) or _titled(turn))


def _numbered(turn: Turn) -> str | None:
    """The option of the number sent, when it is one of those offered."""
    number, offered = turn.answer.bare_number() or 0, turn.state.offered
    return offered[number - 1][0] if 1 <= number <= len(offered) else None


def _titled(turn: Turn) -> str | None:
    """A button's title typed (or sent as text by a client without quick replies)."""
    typed = turn.answer.text.lower()
    return next((option_id for option_id, title in turn.state.offered if title.lower() == typed), None)


def choose_language(turn: Turn) -> bool:
    """nlu's `language` intent switches and says so (True); written English or Devanagari switches quietly."""
    asked = _asked_language(turn)
    if asked:
        turn.state.language = asked
        turn.note("language_set")
        return True
    turn.state.language = _written_in(turn.answer.text.lower()) or turn.state.language
    return False


def _asked_language(turn: Turn) -> str | None:
    asked = (turn.answer.first("language") or {}).get("value") if turn.answer.intent == "language" else None
    return asked if asked in LANGUAGES else None


def _written_in(text: str) -> str | None:
    """Hindi when there is Devanagari in the text, English when it is plain English; else None."""
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        return "hi"
    said = set(text.replace(",", " ").replace(".", " ").split())
    return "en" if text.isascii() and len(said & set(words.words()["english_markers"])) >= ENGLISH_AFTER else None


def route(turn: Turn) -> None:
    """Opt-out, a waiting question, a draft left for days, a command, a correction; else the flow's answer."""
    _welcome_back(turn)
    if not any(handle(turn) for handle in FIRST):
        ANSWERS.get(turn.state.flow, menu.handle)(turn)


def _welcome_back(turn: Turn) -> None:
    """A message after "STOP" opts back in."""
    if turn.state.opted_out:
        turn.state.opted_out = False
        turn.effect(SetOptOut(False))
        turn.note("welcome_back")


def _resume(turn: Turn) -> bool:
    """A draft left for long: "continue it or start afresh?" first."""
    if not stale_draft(turn):
        return False
    questions.sure(turn, "resume", "ask_resume", questions.RESUME)
    return True


def _correction(turn: Turn) -> bool:
    return turn.state.flow == "listing" and corrections.handle(turn)


def stale_draft(turn: Turn) -> bool:
    """A half-done listing untouched for long, and the message does not carry an answer."""
    return turn.state.idle_draft(turn.inbound.now) >= RESUME_AFTER and not _carries_an_answer(turn)


def _carries_an_answer(turn: Turn) -> bool:
    answer = turn.answer
    carries = turn.inbound.photos or answer.parse.get("entities") or answer.option
    return bool(carries) or answer.intent not in SMALL_TALK


# In order; the first that handles the message ends. A profile statement ("mera naam Sunita hai") comes first:
# "naam galat hai" is no draft edit, and a correction is taken even while a person is awaited.
FIRST = (profile.handle, waiting.handle, pending.handle, _resume, commands.handle, _correction)
ANSWERS = {"onboarding": partial(onboarding.handle, on_done=draft.start), "listing": draft.handle}


def hand_back(state: State, step_name: str, now: datetime) -> Result:
    """Staff hand the conversation back to the bot at `step_name`; the reply asks that step's question."""
    turn = Turn.begin(state, Inbound(now), None)
    waiting.end(turn.state)
    flow = ONBOARDING if step_name in ONBOARDING.names() else LISTING
    if step_name in flow.names():
        _ask_afresh(turn, flow, step_name)
    else:
        questions.menu(turn)
    turn.state.last_at = now
    return turn.result()


def _ask_afresh(turn: Turn, flow: Flow, step_name: str) -> None:
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
    return bool(state) and not (state.opted_out or state.nudged_at) and state.idle_draft(now) >= NUDGE_AFTER
