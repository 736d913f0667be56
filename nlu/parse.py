"""parse(): text to Rasa's /model/parse shape with the built-in engine (or a Rasa server)."""
import logging
import os

from .intents import classify
from .lexicon import correct, english, match_lexicon, tables
from .measures import extract
from .numbers import find_numbers, tidy
from .tokens import tokenize

log = logging.getLogger(__name__)


def parse(text: str, backend: str | None = None) -> dict:
    """Intent and entities of one message; never raises. `backend`: "builtin" (default) or "rasa"."""
    backend = backend or os.environ.get("HUNAR_NLU_BACKEND", "builtin")
    if backend == "rasa":
        from .rasa_backend import parse_with_rasa
        return parse_with_rasa(text)
    return parse_builtin(text)


def parse_builtin(text: str) -> dict:
    """The built-in engine: no server, no model."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return _parse(text)
    except Exception:  # a bug must not take the bot down: say we did not understand
        log.exception("nlu failed on %r", text[:200])
        return {"text": text, "intent": {"name": "inform", "confidence": 0.0}, "entities": []}


def _parse(text: str) -> dict:
    toks = tokenize(text)
    nums, ords = find_numbers(toks)
    entities, used, rest = extract(toks, nums)
    for m in ords:
        entities.append(_ent("ordinal", m.value, toks, m.i, m.j))
        used[m.i:m.j] = [True] * (m.j - m.i)
    for m in rest:
        entities.append(_ent("number", tidy(m.value), toks, m.i, m.j))
        used[m.i:m.j] = [True] * (m.j - m.i)
    entities += lexicon_entities(toks, used)
    keys = [t.key for t in toks]
    intent, conf, extra, ranking = classify(toks, keys, used)
    entities += extra
    entities.sort(key=lambda e: (e["start"], -e["end"]))
    return {"text": text, "intent": {"name": intent, "confidence": conf},
            "entities": entities, "intent_ranking": ranking}


def _ent(name, value, toks, i, j, **extra) -> dict:
    return {"entity": name, "value": value, "start": toks[i].start, "end": toks[j - 1].end, **extra}


def lexicon_entities(toks, used: list[bool]) -> list[dict]:
    """Products, materials, colours, crafts, districts; marks the tokens they use."""
    t_ = tables()
    seq = [i for i, t in enumerate(toks) if t.kind != "p" or t.key not in "-."]
    keys = [correct(toks[i].key) if toks[i].kind == "w" else toks[i].key for i in seq]
    free = [not used[i] for i in seq]
    out = []
    for a, b, hit in match_lexicon(keys, free):
        i, j = seq[a], seq[b - 1] + 1
        for name, value in hit.items():
            ent = _ent(name, value, toks, i, j, value_en=english(name, value))
            if name == "colour" and a > 0 and free[a - 1] and keys[a - 1] in t_.modifier:
                mod = t_.modifier[keys[a - 1]]
                ent.update(start=toks[seq[a - 1]].start, modifier=mod, modifier_en=english("colour", mod))
                used[seq[a - 1]] = True
            out.append(ent)
        for k in range(i, j):
            used[k] = True
    return out
