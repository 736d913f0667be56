"""A material and, when a thread of another one is named, that thread: "khadi ke kapde par reshmi dhage se
kadhai" is khadi, embroidered with silk thread. The thread is kept in the slot `thread` beside `material`."""
from __future__ import annotations

from flows.answer import Answer
from flows.things import bilingual, from_list
from flows.turn import Turn
from flows.types import Bilingual, Retry
from flows.words import words


def material(answer: Answer) -> Bilingual | Retry:
    """The base material (not the thread's), else what `things.from_list` makes of the answer."""
    base, _ = _base_and_thread(answer)
    return bilingual(base) if base else from_list("material")(answer)


def extract(answer: Answer) -> Bilingual | None:
    """The base material said in an answer to another question."""
    base, _ = _base_and_thread(answer)
    return bilingual(base) if base else None


def keep_thread(turn: Turn) -> None:
    """A thread of another material named with the material: kept beside it (not over one already kept)."""
    _, thread = _base_and_thread(turn.answer)
    if thread and not turn.state.slots.get("thread"):
        turn.state.slots["thread"] = bilingual(thread)


def _base_and_thread(answer: Answer) -> tuple[dict | None, dict | None]:
    """The materials said: the base, and the one said just before a thread word ("reshmi dhage"), if any."""
    found = answer.entities("material")
    at = _thread_word_at(answer.text.lower())
    if len(found) < 2 or at is None:
        return (found[0] if found else None), None
    thread = ([entity for entity in found if entity.get("end", 0) <= at] or found)[-1]
    base = next(entity for entity in found if entity is not thread)
    return base, thread


def _thread_word_at(lowered: str) -> int | None:
    """Where the first thread word ("dhaga", "thread", words.yml thread_words) starts, if one is said."""
    spaced = f" {lowered} "
    places = [spaced.find(f" {word}") for word in words()["thread_words"]]
    places = [place for place in places if place >= 0]
    return min(places) if places else None
