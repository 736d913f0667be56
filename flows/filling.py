"""Slot filling: parse the answer to the current question, pick up over-answers, re-ask or move on."""
from __future__ import annotations

from typing import Any

from flows import choices, kinds
from flows.model import Flow, Step
from flows.turn import Turn
from flows.types import FlagHelpdesk, Retry

STUCK_AFTER = 3  # misses at one step before the helpdesk is asked to help
CHOICES_AFTER = 2  # misses before numbered choices are offered


def current(turn: Turn, flow: Flow) -> Step:
    return flow.get(turn.state.step)


def next_step(turn: Turn, flow: Flow) -> Step | None:
    """The step to ask now: one the artisan asked to go back to, else the first empty slot."""
    focus = turn.state.focus
    if focus and focus in flow.names():
        return flow.get(focus)
    return flow.next_step(turn.state)


def set_slot(turn: Turn, step: Step, value: Any) -> None:
    """The answer to `step`: kept, no longer skipped, missed or asked again."""
    turn.state.fill(step.name, value)
    turn.state.unfocus(step.name)
    turn.state.misses.pop(step.name, None)


def over_answers(turn: Turn, flow: Flow, skip: str | tuple[str, ...]) -> list[Step]:
    """Fill other empty slots this message also answers ("laal sooti dari, 1200 rupay"); the steps filled."""
    skipped = (skip,) if isinstance(skip, str) else skip
    filled = []
    for step in flow.steps:
        value = _over_answer(turn, step) if step.name not in skipped else None
        if value:
            set_slot(turn, step, value)
            filled.append(step)
    return filled


def _over_answer(turn: Turn, step: Step) -> Any:
    """What the message says for `step`, if it can say it and the slot is still empty."""
    if step.extract is None or turn.state.slots.get(step.name):
        return None
    return step.extract(turn.answer)


def miss(turn: Turn, flow: Flow, step: Step, retry: Retry) -> None:
    """A bad answer: the reason and an example; then numbered choices; then a person is asked to help."""
    if turn.miss(step.name) < STUCK_AFTER:
        return ask(turn, flow, step, retry)
    turn.state.misses[step.name] = 0
    turn.effect(FlagHelpdesk("misses", f"{flow.name}.{step.name}: {turn.answer.text[:80]}"))
    turn.note("stuck")
    ask(turn, flow, step)


def ask(turn: Turn, flow: Flow, step: Step, retry: Retry | None = None) -> None:
    """Ask `step` (or re-ask it with the reason); numbered choices after two misses."""
    turn.state.flow, turn.state.step = flow.name, step.name
    if retry and _time_for_choices(turn, step):
        return _ask_choices(turn, step.choices)
    if retry:
        retry_key = kinds.key(turn, f"retry_{retry.reason}")
        return turn.ask(retry_key, step.options(turn), **{**step.variables(turn), **retry.vars})
    turn.ask(kinds.key(turn, step.key(turn)), step.options(turn), **step.variables(turn))


def _time_for_choices(turn: Turn, step: Step) -> bool:
    """A step with a list of choices, missed twice in a row."""
    return bool(step.choices) and turn.state.misses.get(step.name, 0) >= CHOICES_AFTER


def _ask_choices(turn: Turn, name: str) -> None:
    """A list of choices.yml as numbered options, in the conversation's language."""
    entries = [(f"{name}:{n}", entry[turn.lang]) for n, entry in enumerate(choices.options(name), 1)]
    turn.ask_numbered(f"choices_{name}", entries)
