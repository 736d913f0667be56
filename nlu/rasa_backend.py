"""Optional Rasa server backend: its intent, our number/money/size/lexicon entities, built-in fallback."""
import json
import logging
import os
import time
import urllib.error
import urllib.request

from .parse import parse_builtin

log = logging.getLogger(__name__)
OURS = {"number", "ordinal", "amount_of_money", "quantity", "dimensions",
        "product", "material", "colour", "craft", "district"}
TIMEOUT = 1.0
COOLDOWN = 30.0  # after a failure, skip the server this long so each message is not delayed
_down_until = 0.0


def parse_with_rasa(text: str, url: str | None = None, timeout: float = TIMEOUT, expect: str | None = None) -> dict:
    """Parse with a Rasa server (HUNAR_RASA_URL), falling back to the built-in engine if it is down."""
    global _down_until
    ours = parse_builtin(text, expect)
    url = (url or os.environ.get("HUNAR_RASA_URL") or "http://127.0.0.1:5005").rstrip("/")
    if time.monotonic() < _down_until:
        return ours
    try:
        theirs = _post(url + "/model/parse", {"text": ours["text"]}, timeout)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        _down_until = time.monotonic() + COOLDOWN
        log.warning("Rasa server at %s unavailable (%s); using the built-in NLU", url, exc)
        return ours
    return merge(ours, theirs)


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
    return {"text": ours["text"], "intent": {"name": intent["name"], "confidence": round(conf, 3)},
            "entities": entities, "intent_ranking": theirs.get("intent_ranking") or []}


def _post(url: str, body: dict, timeout: float) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = json.loads(resp.read().decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("Rasa answered with something other than an object")
    return data
