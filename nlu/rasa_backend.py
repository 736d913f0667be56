"""Optional Rasa server backend, asked only when the built-in engine understood nothing.

The built-in reading stays in charge. A Rasa server (`POST {url}/model/parse`) is asked only when:
- the built-in engine understood nothing: its intent is `inform` and it found no entity at all (no number, price,
  size, product, colour, name…), and the text has a letter in it (see `understood_nothing`);
- the message has at least `MIN_WORDS` words: one word the engine does not know is most likely a value its lexicon
  lacks (a product, a material: "बंदनवार"), which a model trained on commands reads as a command;
- the step is not an open answer: never at the name, district, craft, product or description steps (`OPEN_STEPS`),
  nor when the caller expects a person's name (`expect="name"`), where any words are a fine answer;
- the server has not failed in the last `COOLDOWN` seconds.
Rasa's answer is used only for a command intent (`COMMAND_INTENTS`: help, human, cancel…, never stop; never inform,
affirm or deny, which change what is saved) at or above `THRESHOLD` confidence, and an `edit` only when Rasa also
found the `field` to edit; then its intent replaces `inform` and its own entities (e.g. `field`) are added where they
overlap nothing. On any error, timeout (`TIMEOUT`) or an answer that does not qualify, the built-in reading is
returned unchanged; errors are logged.

nlu has no project imports: the URL and timeout come in as arguments (the app takes them from config.py).
"""
from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from typing import Callable

from .parse import parse_builtin

log = logging.getLogger(__name__)

TIMEOUT = 0.5  # seconds for one /model/parse; the built-in answer is used past it
THRESHOLD = 0.80  # Rasa's confidence needed for its intent to be used
COOLDOWN = 30.0  # after a failure, the server is not asked for this long, so each message is not delayed
DEFAULT_URL = "http://127.0.0.1:5005"
MISSING_CONFIDENCE = 0.0  # Rasa's answer without a confidence is read as not confident at all
# Not "stop" nor "delete_my_data": a stop is carried out at once (every message to the artisan ends) and Rasa read
# "ek baar aur bhejo sawal" (send the question again) as stop at 0.97; the built-in reading alone decides those.
COMMAND_INTENTS = frozenset({
    "help", "back", "skip", "cancel", "restart", "done", "human", "greet", "thanks",
    "new_listing", "my_listings", "edit", "sold_out", "withdraw",
})
MIN_WORDS = 2
OPEN_STEPS = frozenset({"name", "district", "craft", "product", "description"})
OURS = {"number", "ordinal", "amount_of_money", "quantity", "dimensions", "listing_number",
        "product", "material", "colour", "craft", "district", "language"}


def understood_nothing(reading: dict) -> bool:
    """The built-in engine read `inform` with no entity, in a text with at least one letter."""
    if _intent_name(reading) != "inform" or reading.get("entities"):
        return False
    return _has_letter(reading.get("text") or "")


def _has_letter(text: str) -> bool:
    """A letter of any script: digits and symbols alone say nothing a model could read."""
    return any(ch.isalpha() for ch in text)


def _intent_name(reading: dict):
    """The name of a reading's intent, or None."""
    return (reading.get("intent") or {}).get("name")


class RasaBackend:
    """`backend(text, step=None, expect=None)`: the built-in reading, helped by a Rasa server when it is lost.

    The cool-down after a failure lives here, so each backend (one per server) keeps its own."""

    def __init__(self, url: str | None = None, timeout: float = TIMEOUT, threshold: float = THRESHOLD,
                 builtin: Callable[..., dict] | None = None, cooldown: float = COOLDOWN):
        self.url = (url or DEFAULT_URL).rstrip("/")
        self.timeout = float(timeout)
        self.threshold = float(threshold)
        self.cooldown = float(cooldown)
        self.builtin = builtin or parse_builtin
        self._down_until = 0.0  # time.monotonic() before which the server is not asked
        self._lock = threading.Lock()
        self.asked = self.used = self.failed = 0  # counters, for benches and logs

    def __call__(self, text: str, step: str | None = None, expect: str | None = None) -> dict:
        """The built-in reading of `text`, or Rasa's where the built-in one understood nothing and Rasa's qualifies."""
        ours = self._builtin(text, expect)
        if not self.should_ask(ours, step, expect):
            return ours
        theirs = self._ask(ours["text"])
        return ours if theirs is None else self._answer(ours, theirs)

    def _builtin(self, text: str, expect: str | None) -> dict:
        """The built-in reading (`expect` passed only when there is one, so any `builtin(text)` will do)."""
        return self.builtin(text, expect=expect) if expect else self.builtin(text)

    def _ask(self, text: str) -> dict | None:
        """Rasa's answer, or None (and the cool-down starts) when the server fails."""
        try:
            return _post(self.url + "/model/parse", {"text": text}, self.timeout)
        except (OSError, ValueError, urllib.error.URLError) as exc:  # timeouts are OSErrors
            self._fail(exc)
            return None

    def _fail(self, exc: Exception) -> None:
        """Count a failure and rest the server for the cool-down."""
        with self._lock:
            self._down_until = time.monotonic() + self.cooldown
            self.failed += 1
        log.warning("Rasa server at %s unavailable (%s); using the built-in NLU for %.0f s",
                    self.url, exc, self.cooldown)

    def _answer(self, ours: dict, theirs: dict) -> dict:
        """Rasa's answer merged in where it qualifies; counted and logged."""
        self.asked += 1
        merged = self.accept(ours, theirs)
        if merged is not ours:
            self.used += 1
            log.info("nlu: Rasa read %r as %s (%.2f)", ours["text"][:80], merged["intent"]["name"],
                     merged["intent"]["confidence"])
        return merged

    def should_ask(self, ours: dict, step: str | None, expect: str | None) -> bool:
        """Is the server to be asked about this reading (see the module's docstring)?"""
        if _open_answer(step, expect) or not understood_nothing(ours):
            return False
        return len(ours["text"].split()) >= MIN_WORDS and time.monotonic() >= self._down_until

    def accept(self, ours: dict, theirs: dict) -> dict:
        """Rasa's command intent above the threshold, merged with our reading; else ours, unchanged."""
        intent = _command_intent(theirs)
        if intent is None or not self._sure_enough(intent) or not _edit_with_field(intent, theirs):
            return ours
        return merge(ours, theirs)

    def _sure_enough(self, intent: dict) -> bool:
        """Rasa's confidence is a number not below the threshold."""
        confidence = _confidence(intent)
        return confidence is not None and not confidence < self.threshold


def _open_answer(step: str | None, expect: str | None) -> bool:
    """A step where any words are a fine answer: a name, a district, a description..."""
    return step in OPEN_STEPS or expect == "name"


def _command_intent(theirs) -> dict | None:
    """Rasa's intent when it is one of COMMAND_INTENTS, else None."""
    intent = theirs.get("intent") if isinstance(theirs, dict) else None
    return intent if isinstance(intent, dict) and intent.get("name") in COMMAND_INTENTS else None


def _confidence(intent: dict) -> float | None:
    """The intent's confidence as a float (missing: 0), or None when it is no number."""
    try:
        return float(intent.get("confidence") or MISSING_CONFIDENCE)
    except (TypeError, ValueError):
        return None


def _edit_with_field(intent: dict, theirs: dict) -> bool:
    """Not an edit, or an edit with the `field` it changes: an edit without one cannot be carried out."""
    return intent["name"] != "edit" or _names_field(_list_of(theirs, "entities"))


def _names_field(entities: list) -> bool:
    """Is one of Rasa's entities a `field`?"""
    return any(isinstance(e, dict) and e.get("entity") == "field" for e in entities)


def parse_with_rasa(text: str, url: str | None = None, timeout: float = TIMEOUT, expect: str | None = None,
                    step: str | None = None) -> dict:
    """One message through a `RasaBackend` for `url` (one backend per URL, so the cool-down is shared)."""
    server = ((url or DEFAULT_URL).rstrip("/"), float(timeout))
    backend = _BACKENDS.get(server) or _BACKENDS.setdefault(server, RasaBackend(server[0], timeout=server[1]))
    return backend(text, step=step, expect=expect)


# One backend per (URL, timeout), so that parse(backend="rasa") calls share a server's cool-down.
_BACKENDS: dict[tuple[str, float], RasaBackend] = {}


def merge(ours: dict, theirs: dict) -> dict:
    """Rasa's intent and its other entities (e.g. `field`), with our extractors' entities."""
    intent = theirs.get("intent") or {}
    if not isinstance(intent.get("name"), str):
        return ours
    entities = sorted(ours["entities"] + _their_entities(ours, theirs), key=lambda e: (e["start"], -e["end"]))
    confidence = float(intent.get("confidence") or MISSING_CONFIDENCE)
    return {"text": ours["text"], "intent": {"name": intent["name"], "confidence": round(confidence, 3)},
            "entities": entities, "intent_ranking": _their_ranking(theirs), "backend": "rasa"}


def _their_ranking(theirs: dict) -> list[dict]:
    """Rasa's intent ranking, without anything in it that is no object."""
    return [r for r in _list_of(theirs, "intent_ranking") if isinstance(r, dict)]


def _their_entities(ours: dict, theirs: dict) -> list[dict]:
    """Rasa's entities of kinds we do not extract, inside the text and overlapping none of ours."""
    taken = _spans(ours)
    found = (_their_entity(e, len(ours["text"]), taken) for e in _list_of(theirs, "entities"))
    return [e for e in found if e is not None]


def _list_of(theirs: dict, name: str) -> list:
    """One of Rasa's lists (entities, intent_ranking); empty when it is missing or null."""
    return theirs.get(name) or []


def _spans(reading: dict) -> list[tuple[int, int]]:
    """(start, end) of each of a reading's entities."""
    return [(e["start"], e["end"]) for e in reading["entities"]]


def _their_entity(entity: dict, length: int, taken: list[tuple[int, int]]) -> dict | None:
    """One of Rasa's entities in our shape, or None when it is ours to find, off the text, or overlaps ours."""
    span = _span(entity)
    if span is None or entity.get("entity") in OURS or not _free_span(span, length, taken):
        return None
    return {"entity": entity.get("entity"), "value": entity.get("value"), "start": span[0], "end": span[1],
            "extractor": entity.get("extractor", "rasa")}


def _span(entity) -> tuple[int, int] | None:
    """(start, end) of an entity as ints, or None when it has none."""
    try:
        return int(entity["start"]), int(entity["end"])
    except (KeyError, TypeError, ValueError):
        return None


def _free_span(span: tuple[int, int], length: int, taken: list[tuple[int, int]]) -> bool:
    """A non-empty span inside the text that overlaps no span in `taken`."""
    start, end = span
    return 0 <= start < end <= length and not any(start < b and a < end for a, b in taken)


def _post(url: str, body: dict, timeout: float) -> dict:
    """POST `body` as JSON and return the JSON object answered."""
    req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = json.loads(resp.read().decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("Rasa answered with something other than an object")
    return data
