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
affirm or deny, which change what is saved) at or above `THRESHOLD` confidence, and an `edit` only when Rasa also found the `field` to edit; then its intent replaces `inform`
and its own entities (e.g. `field`) are added where they overlap nothing. On any error, timeout (`TIMEOUT`) or an
answer that does not qualify, the built-in reading is returned unchanged; errors are logged.

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
    intent = (reading.get("intent") or {}).get("name")
    text = reading.get("text") or ""
    return intent == "inform" and not reading.get("entities") and any(ch.isalpha() for ch in text)


class RasaBackend:
    """`backend(text, step=None, expect=None)`: the built-in reading, helped by a Rasa server when it is lost."""

    def __init__(self, url: str | None = None, timeout: float = TIMEOUT, threshold: float = THRESHOLD,
                 builtin: Callable[..., dict] | None = None, cooldown: float = COOLDOWN):
        self.url = (url or DEFAULT_URL).rstrip("/")
        self.timeout = float(timeout)
        self.threshold = float(threshold)
        self.cooldown = float(cooldown)
        self.builtin = builtin or parse_builtin
        self._down_until = 0.0
        self._lock = threading.Lock()
        self.asked = self.used = self.failed = 0  # counters, for benches and logs

    def __call__(self, text: str, step: str | None = None, expect: str | None = None) -> dict:
        ours = self.builtin(text, expect=expect) if expect else self.builtin(text)
        if not self.should_ask(ours, step, expect):
            return ours
        try:
            theirs = _post(self.url + "/model/parse", {"text": ours["text"]}, self.timeout)
        except (OSError, ValueError, urllib.error.URLError) as exc:  # timeouts are OSErrors
            with self._lock:
                self._down_until = time.monotonic() + self.cooldown
                self.failed += 1
            log.warning("Rasa server at %s unavailable (%s); using the built-in NLU for %.0f s",
                        self.url, exc, self.cooldown)
            return ours
        self.asked += 1
        merged = self.accept(ours, theirs)
        if merged is not ours:
            self.used += 1
            log.info("nlu: Rasa read %r as %s (%.2f)", ours["text"][:80], merged["intent"]["name"],
                     merged["intent"]["confidence"])
        return merged

    def should_ask(self, ours: dict, step: str | None, expect: str | None) -> bool:
        if step in OPEN_STEPS or expect == "name" or not understood_nothing(ours):
            return False
        if len(ours["text"].split()) < MIN_WORDS:
            return False
        return time.monotonic() >= self._down_until

    def accept(self, ours: dict, theirs: dict) -> dict:
        """Rasa's command intent above the threshold, merged with our reading; else ours, unchanged."""
        intent = theirs.get("intent") if isinstance(theirs, dict) else None
        if not isinstance(intent, dict) or intent.get("name") not in COMMAND_INTENTS:
            return ours
        try:
            conf = float(intent.get("confidence") or 0.0)
        except (TypeError, ValueError):
            return ours
        if conf < self.threshold:
            return ours
        if intent["name"] == "edit" and not any(isinstance(e, dict) and e.get("entity") == "field"
                                                for e in theirs.get("entities") or []):
            return ours
        return merge(ours, theirs)


def parse_with_rasa(text: str, url: str | None = None, timeout: float = TIMEOUT, expect: str | None = None,
                    step: str | None = None) -> dict:
    """One message through a `RasaBackend` for `url` (one backend per URL, so the cool-down is shared)."""
    key = ((url or DEFAULT_URL).rstrip("/"), float(timeout))
    backend = _BACKENDS.get(key)
    if backend is None:
        backend = _BACKENDS.setdefault(key, RasaBackend(key[0], timeout=key[1]))
    return backend(text, step=step, expect=expect)


_BACKENDS: dict[tuple[str, float], RasaBackend] = {}


def merge(ours: dict, theirs: dict) -> dict:
    """Rasa's intent and its other entities (e.g. `field`), with our extractors' entities."""
    intent = theirs.get("intent") or {}
    if not isinstance(intent.get("name"), str):
        return ours
    n = len(ours["text"])
    spans = [(e["start"], e["end"]) for e in ours["entities"]]
    extra = []
    for e in theirs.get("entities") or []:
        try:
            s, t = int(e["start"]), int(e["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if e.get("entity") in OURS or not 0 <= s < t <= n:
            continue
        if any(s < b and a < t for a, b in spans):
            continue
        extra.append({"entity": e.get("entity"), "value": e.get("value"), "start": s, "end": t,
                      "extractor": e.get("extractor", "rasa")})
    entities = sorted(ours["entities"] + extra, key=lambda e: (e["start"], -e["end"]))
    conf = float(intent.get("confidence") or 0.0)
    ranking = [r for r in theirs.get("intent_ranking") or [] if isinstance(r, dict)]
    return {"text": ours["text"], "intent": {"name": intent["name"], "confidence": round(conf, 3)},
            "entities": entities, "intent_ranking": ranking, "backend": "rasa"}


def _post(url: str, body: dict, timeout: float) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = json.loads(resp.read().decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("Rasa answered with something other than an object")
    return data
