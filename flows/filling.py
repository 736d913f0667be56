"""Slot filling: parse the answer to the current question, pick up over-answers, re-ask or move on."""
from __future__ import annotations

from flows import choices
from flows.model import Flow, Step
from flows.turn import Turn
from flows.types import FlagHelpdesk, Retry

STUCK_AFTER = 3  # misses at one step before the helpdesk is asked to help
CHOICES_AFTER = 2  # misses before numbered choices are offered


def current(turn: Turn, flow: Flow) -> Step:
    return flow.get(turn.state["step"])


def next_step(turn: Turn, flow: Flow) -> Step | None:
    """The step to ask now: one the artisan asked to go back to, else the first empty slot."""
    focus = turn.state.get("focus")
    if focus and focus in flow.names():
        return flow.get(focus)
    return flow.next_step(turn.state)


def set_slot(turn: Turn, step: Step, value) -> None:
    turn.state["slots"][step.name] = value
    if step.name in turn.state.get("skipped", []):
        turn.state["skipped"].remove(step.name)
    if turn.state.get("focus") == step.name:
        turn.state.pop("focus")
    turn.state.get("misses", {}).pop(step.name, None)


def clear_focus(turn: Turn, name: str) -> None:
    if turn.state.get("focus") == name:
        turn.state.pop("focus")


def over_answers(turn: Turn, flow: Flow, skip: str) -> list[Step]:
    """Fill other empty slots this message also answers ("laal sooti dari, 1200 rupay"); the steps filled."""
    filled = []
    for step in flow.steps:
        if step.name in ((skip,) if isinstance(skip, str) else skip) or step.extract is None \
                or turn.state["slots"].get(step.name):
            continue
        value = step.extract(turn.answer)
        if value:
            set_slot(turn, step, value)
            filled.append(step)
    return filled


def miss(turn: Turn, flow: Flow, step: Step, retry: Retry) -> None:
    """A bad answer: the reason and an example; then numbered choices; then a person is asked to help."""
    misses = turn.state.setdefault("misses", {})
    misses[step.name] = misses.get(step.name, 0) + 1
    if misses[step.name] >= STUCK_AFTER:
        misses[step.name] = 0
        turn.effect(FlagHelpdesk("misses", f"{flow.name}.{step.name}: {turn.answer.text[:80]}"))
        turn.note("stuck")
        ask(turn, flow, step)
        return
    ask(turn, flow, step, retry)


def ask(turn: Turn, flow: Flow, step: Step, retry: Retry | None = None) -> None:
    """Ask `step` (or re-ask it with the reason); numbered choices after two misses."""
    turn.state["flow"], turn.state["step"] = flow.name, step.name
    vars = step.vars(turn) if step.vars else {}
    if retry and step.choices and turn.state.get("misses", {}).get(step.name, 0) >= CHOICES_AFTER:
        entries = [(f"{step.choices}:{n}", entry[turn.lang]) for n, entry in enumerate(choices.options(step.choices), 1)]
        turn.ask_numbered(f"choices_{step.choices}", entries)
        return
    key = f"retry_{retry.reason}" if retry else (step.ask(turn) if callable(step.ask) else step.ask)
    extra = retry.vars if retry else {}
    buttons = step.buttons(turn) if callable(step.buttons) else step.buttons
    turn.ask(key, list(buttons), **{**vars, **extra})
