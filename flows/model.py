"""Flows as data: a Flow is an ordered tuple of Steps; the next step is the first one not yet answered."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Step:
    """One question: its prompt key, the parser for an answer to it, and how to spot it in other answers."""

    name: str
    ask: str | Callable[..., str]  # prompt key of the question, or (Turn) -> key
    parse: Callable[..., Any]  # (Answer) -> value | Retry, for an answer to this question
    extract: Callable[..., Any] | None = None  # (Answer) -> value | None, for over-answering at other steps
    optional: bool = False
    choices: str | None = None  # a list in choices.yml offered as numbered options after two misses
    help: str | None = None  # prompt key that explains the question; defaults to help_<name>
    buttons: tuple[tuple[str, str], ...] | Callable[..., tuple] = ()  # quick replies: (option id, title key)
    vars: Callable[..., dict] | None = None  # (Turn) -> variables the question needs
    done: Callable[[dict], bool] | None = None  # (state) -> answered?; default: its slot is filled or skipped

    @property
    def help_key(self) -> str:
        return self.help or f"help_{self.name}"


@dataclass(frozen=True)
class Flow:
    """A named sequence of steps filling `state["slots"]`."""

    name: str
    steps: tuple[Step, ...]

    def get(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)

    def names(self) -> list[str]:
        return [step.name for step in self.steps]

    def next_step(self, state: dict) -> Step | None:
        """The first step not yet answered (rasa's next_requested_slot)."""
        return next((step for step in self.steps if not answered(step, state)), None)

    def before(self, name: str) -> Step | None:
        """The step asked before `name`, for "back"."""
        names = self.names()
        index = names.index(name) if name in names else 0
        return self.steps[index - 1] if index > 0 else None


def answered(step: Step, state: dict) -> bool:
    """A step is answered when its slot holds a value or the artisan skipped it (or its own rule says so)."""
    if step.done is not None:
        return step.done(state)
    return state["slots"].get(step.name) not in (None, "", []) or step.name in state.get("skipped", [])
