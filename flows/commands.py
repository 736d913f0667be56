"""Global commands, understood at every step: help, back, skip, cancel, restart, human, stop, my listings..."""
from __future__ import annotations

from flows import corrections, draft, filling, kinds, my_listings, prompts, questions, waiting
from flows.listing import LISTING
from flows.turn import Turn
from flows.types import FlagHelpdesk, Retry, SetOptOut

HUMAN = (("intent:human", "btn_human"),)


def handle(turn: Turn) -> bool:
    """Run the command the message is, if it is one; True when handled."""
    command = COMMANDS.get(turn.answer.intent or "")
    return bool(command and command(turn) is not False)


def _in_listing(turn: Turn) -> bool:
    return turn.state.flow == "listing"


def _help(turn: Turn):
    """Help with the question; after two answers it could not use, a person helps, as a third miss would bring."""
    flow = questions.flow_of(turn)
    step = flow.get(turn.state.step) if flow and turn.state.step in flow.names() else None
    if step is not None and turn.state.misses.get(step.name, 0) >= filling.STUCK_AFTER - 1:
        return filling.miss(turn, flow, step, Retry("help"))
    turn.ask(kinds.key(turn, f"help_{turn.state.step or 'menu'}"), list(HUMAN))


def _back(turn: Turn):
    flow = questions.flow_of(turn)
    if flow is None or turn.state.step == "consent":
        return questions.ask_again(turn)
    previous = flow.before(turn.state.step)
    if previous is None:
        turn.note("back_first")
        return questions.ask_again(turn)
    turn.state.focus = previous.name
    if previous.name == "photos":
        turn.state.photos_done = False
    filling.ask(turn, flow, previous)


def _skip(turn: Turn):
    step_name = turn.state.step
    if step_name == "photos":
        return False
    if not _in_listing(turn) or not LISTING.get(step_name).optional:
        return _required(turn)
    turn.state.skip(step_name)
    turn.state.unfocus(step_name)
    turn.note("skipped")
    draft.ask_next(turn)


def _done(turn: Turn):
    """"bas" / "ho gaya": ends the photos (the photo step reads it); at an optional question it skips it;
    elsewhere the question is asked again, without counting a miss."""
    if not _at_a_listing_question(turn):
        return False
    if LISTING.get(turn.state.step).optional:
        return _skip(turn)
    questions.ask_again(turn)


def _at_a_listing_question(turn: Turn) -> bool:
    """A question of the listing flow other than the photos and the summary, and no photos came."""
    return _in_listing(turn) and turn.state.step not in ("photos", "confirm") and not turn.inbound.photos


def _required(turn: Turn):
    """"Don't know" or "skip" at a question the listing needs: say so and help with it, never count a miss."""
    turn.note("skip_required")
    step = turn.state.step
    if _in_listing(turn) and step and prompts.has(f"help_{step}", turn.lang):
        return _help(turn)
    questions.ask_again(turn)


def _cancel(turn: Turn):
    if turn.state.drafting():
        return questions.sure(turn, "cancel", "ask_cancel")
    if turn.state.flow == "onboarding":
        return turn.note("cancel_onboarding")
    turn.note("cancelled")
    questions.menu(turn)


def _restart(turn: Turn):
    if turn.state.drafting():
        return questions.sure(turn, "restart", "ask_restart")
    if turn.state.flow == "onboarding":
        return _profile_afresh(turn)
    draft.start(turn)


def _profile_afresh(turn: Turn) -> None:
    """Onboarding from the name again; the consent stands."""
    turn.state.slots = {k: v for k, v in turn.state.slots.items() if k == "consent"}
    questions.ask_again(turn)


def _human(turn: Turn):
    turn.effect(FlagHelpdesk("asked_human", f"{turn.state.flow}.{turn.state.step}"))
    waiting.begin(turn)
    turn.note("human")


def _stop(turn: Turn):
    turn.effect(SetOptOut(True))
    turn.state.opted_out = True
    turn.note("stopped")


def _delete(turn: Turn):
    questions.sure(turn, "delete", "ask_delete")


def _my_listings(turn: Turn):
    my_listings.show(turn)
    if turn.state.flow != "menu":
        return questions.ask_again(turn)
    if not turn.inbound.listings:
        questions.menu(turn)


def _new_listing(turn: Turn):
    if turn.state.flow == "onboarding":
        return questions.ask_again(turn)
    if turn.state.drafting():
        return questions.sure(turn, "resume", "ask_resume", questions.RESUME)
    draft.start(turn)


def _says_more(turn: Turn) -> bool:
    """A greeting or thanks that also carries an answer (entities, photos) is that answer."""
    return bool(turn.answer.parse.get("entities") or turn.inbound.photos)


def _greet(turn: Turn):
    if _says_more(turn):
        return False
    name = (turn.state.profile or {}).get("name")
    if name:
        turn.note("hello_again", name=name)
    questions.ask_again(turn)


def _thanks(turn: Turn):
    if _says_more(turn):
        return False
    turn.note("thanks_reply")
    if turn.state.flow != "menu":
        questions.ask_again(turn)


def _edit(turn: Turn):
    """"2 ki keemat 900 karo" changes a listing; other edits are corrections of the draft."""
    if _reprices_a_listing(turn):
        return my_listings.act(turn, "price")
    return _in_listing(turn) and corrections.handle(turn)


def _reprices_a_listing(turn: Turn) -> bool:
    """An edit naming one of the artisan's listings, and no field or the price (outside onboarding)."""
    field = (turn.answer.first("field") or {}).get("value")
    named = turn.answer.first("listing_number") and turn.inbound.listings
    return bool(named) and field in (None, "price") and turn.state.flow != "onboarding"


COMMANDS = {
    "help": _help, "back": _back, "skip": _skip, "cancel": _cancel, "restart": _restart, "human": _human,
    "stop": _stop, "delete_my_data": _delete, "my_listings": _my_listings, "new_listing": _new_listing,
    "greet": _greet, "thanks": _thanks, "edit": _edit, "done": _done,
    "sold_out": lambda turn: my_listings.act(turn, "sold_out"),
    "withdraw": lambda turn: my_listings.act(turn, "withdraw"),
}
