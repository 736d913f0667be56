"""One turn of the conversation: the state being changed, and the replies and effects being collected."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from flows import prompts, sms
from flows.answer import Answer
from flows.state import State
from flows.types import Button, Effect, Inbound, Reply, Result

BUTTON_TITLE = 20


@dataclass
class Turn:
    """Collects what the bot says this turn; renders it for WhatsApp (buttons) or SMS (numbered, short)."""

    state: State
    inbound: Inbound
    answer: Answer
    notes: list[str] = field(default_factory=list)
    question: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    numbered: bool = False  # options are a numbered list inside the question, not buttons
    effects: list[Effect] = field(default_factory=list)
    missed: str | None = None  # the step whose answer could not be used

    @classmethod
    def begin(cls, state: State, inbound: Inbound, parse: dict | None) -> Turn:
        return cls(copy.deepcopy(state), inbound, Answer(inbound, parse or {}))

    @property
    def lang(self) -> str:
        return self.state.language

    @property
    def sms(self) -> bool:
        return self.inbound.channel == "sms"

    def text(self, key: str, **vars) -> str:
        """A catalogue text in the conversation's language, in its SMS form when there is one."""
        if self.sms and prompts.has(f"{key}_sms", self.lang):
            key = f"{key}_sms"
        return prompts.say(key, self.lang, **vars)

    def note(self, key: str, **vars) -> None:
        """Something to tell before the question (an acknowledgement, a reason)."""
        self.notes.append(self.text(key, **vars))

    def ask(self, key: str, options: list[tuple[str, str]] = (), **vars) -> None:
        """The one question of this turn, with options (button id, prompt key of its title)."""
        self.question = self.text(key, **vars)
        self.options = [(option_id, self.text(title)) for option_id, title in options]
        self.numbered = False

    def ask_numbered(self, key: str, entries: list[tuple[str, str]], **vars) -> None:
        """A question whose options are many: always a numbered list in the text (titles already rendered).
        On SMS without the dots ("1 dari"), so even the 22 districts fit two messages of two parts each."""
        form = "{n} {title}" if self.sms else "{n}. {title}"
        lines = "\n".join(form.format(n=n, title=title) for n, (_, title) in enumerate(entries, 1))
        self.question = self.text(key, options=lines, **vars)
        self.options, self.numbered = list(entries), True

    def effect(self, effect: Effect) -> None:
        self.effects.append(effect)

    def miss(self, step: str) -> int:
        """An answer at `step` that could not be used; how many in a row now."""
        self.missed = step
        return self.state.miss(step)

    def result(self) -> Result:
        self.state.offered = list(self.options)
        return Result(self.state, self._replies(), self.effects, self.missed)

    def _replies(self) -> list[Reply]:
        texts = list(filter(None, [*self.notes, self.question]))
        if not texts:
            return []
        if self.sms:
            return [Reply(text) for text in sms.texts(texts, [] if self.numbered else self._titles())]
        return [Reply("\n\n".join(texts), buttons=self._buttons())]

    def _titles(self) -> list[str]:
        return [title for _, title in self.options]

    def _buttons(self) -> tuple[Button, ...]:
        """Up to three quick replies (none for a numbered list, which is in the question's text)."""
        shown = [] if self.numbered else self.options[:3]
        return tuple(Button(option_id, title[:BUTTON_TITLE]) for option_id, title in shown)
