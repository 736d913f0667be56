"""Flows as data: a Flow is an ordered tuple of Steps; the next step is the first one not yet answered."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

from flows.state import State


@dataclass(frozen=True)
class Step:
    """One question: its prompt key, the parser for an answer to it, and how to spot it in other answers."""

    name: str
    ask: str | Callable[..., str]  # prompt key of the question, or (Turn) -> key
    parse: Callable[..., Any]  # (Answer) -> value | Retry, for an answer to this question
    extract: Callable[..., Any] | None = None  # (Answer) -> value | None, for over-answering at other steps
    optional: bool = False
    choices: str | None = None  # a list in choices.yml offered as numbered options after two misses
    buttons: tuple[tuple[str, str], ...] | Callable[..., tuple] = ()  # quick replies: (option id, title key)
    vars: Callable[..., dict] | None = None  # (Turn) -> variables the question needs
    done: Callable[[State], bool] | None = None  # answered?; default: its slot is filled or skipped
    editable: bool = True  # staff may set its value from text (a photo, a yes or no is not such a value)

    def key(self, turn) -> str:
        """The prompt key of the question."""
        return self.ask(turn) if callable(self.ask) else self.ask

    def options(self, turn) -> list[tuple[str, str]]:
        """The quick replies offered with the question."""
        return list(self.buttons(turn) if callable(self.buttons) else self.buttons)

    def variables(self, turn) -> dict:
        """What the question's text needs filled in."""
        return self.vars(turn) if self.vars else {}


@dataclass(frozen=True)
class Flow:
    """A named sequence of steps filling `State.slots`."""

    name: str
    steps: tuple[Step, ...]

    def get(self, name: str) -> Step:
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> dict[str, Step]:
        return {step.name: step for step in self.steps}

    def names(self) -> tuple[str, ...]:
        """Every step's name, in the order they are asked."""
        return tuple(step.name for step in self.steps)

    def fields(self) -> tuple[str, ...]:
        """The steps whose answer is a value staff may edit as text, in order."""
        return tuple(step.name for step in self.steps if step.editable)

    def next_step(self, state: State) -> Step | None:
        """The first step not yet answered (rasa's next_requested_slot)."""
        return next((step for step in self.steps if not answered(step, state)), None)

    def before(self, name: str) -> Step | None:
        """The step asked before `name`, for "back"."""
        names = self.names()
        index = names.index(name) if name in names else 0
        return self.steps[index - 1] if index > 0 else None


def answered(step: Step, state: State) -> bool:
    """A step is answered when its slot holds a value or the artisan skipped it (or its own rule says so)."""
    if step.done is not None:
        return step.done(state)
    return state.filled(step.name) or step.name in state.skipped
