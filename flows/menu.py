"""Between listings: photos or a product described start a new listing; anything else gets the menu
(questions.menu asks it)."""
from __future__ import annotations

from flows import draft, filling, questions
from flows.turn import Turn
from flows.types import FlagHelpdesk

STARTS_LISTING = ("product", "material", "colour", "amount_of_money", "dimensions")


def handle(turn: Turn) -> None:
    """An answer at the menu."""
    answer = turn.answer
    if turn.inbound.photos or answer.any_of(*STARTS_LISTING):
        draft.start(turn, ask=False)
        return draft.handle(turn)
    if answer.intent == "greet":
        return questions.menu(turn)
    if answer.intent == "affirm":  # "haan" to the offer of another product (the menu's first choice)
        return draft.start(turn)
    _unclear(turn)


def _unclear(turn: Turn) -> None:
    """The menu again; after three such answers in a row, staff are asked to help."""
    if turn.miss("menu") >= filling.STUCK_AFTER:
        turn.state.misses["menu"] = 0
        turn.effect(FlagHelpdesk("misses", f"menu: {turn.answer.text[:80]}"))
        turn.note("stuck")
    questions.menu(turn, "retry_menu")
