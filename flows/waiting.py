"""While a person is awaited: the artisan asked for one, so the form holds still until staff take over, hand
back, the wait ends by itself (HOLD) or the artisan goes on without them ("aage chalo", "bot se hi karein").

Held, a message is never an answer to a question (a "kab tak aayenge?" must not become the product's story);
photos are still kept. Pure like the rest of flows/: the time is the Inbound's."""
from __future__ import annotations

from datetime import timedelta

from flows import onboarding, photos, questions
from flows import types as t
from flows.state import State
from flows.turn import Turn
from flows.words import words

HOLD = timedelta(minutes=30)  # after this the bot answers again (staff may still take over)
PASS = ("stop", "delete_my_data", "human")  # commands that act at once, even while waiting (asked again: flagged)
NOON = 12


def begin(turn: Turn) -> None:
    """The artisan asked for a person: hold the form from now."""
    turn.state.human_asked_at = turn.inbound.now


def end(state: State) -> None:
    """Staff handed back (or took over): nothing waits any more."""
    state.human_asked_at = None


def waiting(state: State, now) -> bool:
    """A person was asked for less than HOLD ago."""
    asked = state.human_asked_at
    return asked is not None and now - asked < HOLD


def handle(turn: Turn) -> bool:
    """While waiting: photos kept, the wait said again (or ended by the artisan); True when the message is held."""
    if not waiting(turn.state, turn.inbound.now):
        end(turn.state)
        return False
    if turn.answer.intent in PASS:
        return False
    if _goes_on(turn):
        end(turn.state)
        turn.effect(t.CloseFlags(("asked_human",)))  # the queue no longer shows a person as awaited
        turn.note("human_wait_ended")
        questions.ask_again(turn)
        return True
    _keep_photos(turn)
    _say_waiting(turn)
    return True


def _goes_on(turn: Turn) -> bool:
    """"nahi, aage chalo" (words.yml carry_on_without_person): the artisan would rather go on with the bot."""
    said = f" {' '.join(turn.answer.text.lower().replace(',', ' ').replace('।', ' ').split())} "
    return any(f" {phrase} " in said for phrase in words()["carry_on_without_person"])


def _keep_photos(turn: Turn) -> None:
    """Photos sent while waiting go to the draft (or wait for it), as at any other time."""
    if not (turn.inbound.photos or turn.inbound.failed_media):
        return
    if turn.state.flow == "listing":
        return photos.receive(turn)
    onboarding.keep_early_photos(turn.state, turn.inbound.photos)


def _say_waiting(turn: Turn) -> None:
    hours = turn.inbound.desk_hours
    if hours:
        return turn.note("human_waiting_hours", start=_clock(hours[0]), end=_clock(hours[1]))
    turn.note("human_waiting")


def _clock(hour: int) -> int:
    """An hour of the day as said aloud: 18 is "6"."""
    return hour % NOON or NOON
