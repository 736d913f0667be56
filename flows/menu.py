"""Between listings: offer a new listing, the artisan's listings, or a person."""
from __future__ import annotations

from flows import filling, listing
from flows.turn import Turn
from flows.types import FlagHelpdesk

MENU = (("intent:new_listing", "btn_new"), ("intent:my_listings", "btn_my_listings"), ("intent:human", "btn_human"))
STARTS_LISTING = ("product", "material", "colour", "amount_of_money", "dimensions")


def ask(turn: Turn, key: str = "menu") -> None:
    turn.state.update(flow="menu", step="menu")
    turn.ask(key, list(MENU))


def handle(turn: Turn) -> None:
    """Photos or a product described start a new listing; anything else gets the menu."""
    answer = turn.answer
    if turn.inbound.photos or any(answer.entities(name) for name in STARTS_LISTING):
        listing.start(turn, ask=False)
        return listing.handle(turn)
    if answer.intent == "greet":
        return ask(turn)
    if answer.intent == "affirm":  # "haan" to the offer of another product (the menu's first choice)
        return listing.start(turn)
    misses = turn.state.setdefault("misses", {})
    misses["menu"] = misses.get("menu", 0) + 1
    if misses["menu"] >= filling.STUCK_AFTER:
        misses["menu"] = 0
        turn.effect(FlagHelpdesk("misses", f"menu: {answer.text[:80]}"))
        turn.note("stuck")
    ask(turn, "retry_menu")
