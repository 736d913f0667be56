"""parse(): text to Rasa's /model/parse shape with the built-in engine (or a Rasa server)."""
import logging

from .entities import kinds_of, span_entity
from .intents import classify, command_phrase
from .lexicon import NOT_LEXICON, lexicon_entities
from .lexicon_readings import compound, name_words, negated, one_reading_per_product, person_names
from .listing_number import listing_entities
from .measures import extract
from .numbers import Num, find_numbers, tidy
from .profile_statements import profile_entities
from .tokens import Token, tokenize, words_of
from .word_tables import tables

log = logging.getLogger(__name__)
EXPECT = ("price", "quantity", "size", "number", "name")
FAILED_CONFIDENCE = 0.0  # when the engine fails on a message: nothing was understood
_FIRST = {"पहले", "pehle", "pahle", "pehele"}  # "पहले फोटो भेजो": first = before, not an ordinal


def parse(text: str, backend: str | None = None, expect: str | None = None, url: str | None = None,
          step: str | None = None) -> dict:
    """Intent and entities of one message; never raises. `backend`: "builtin" (default) or "rasa" (a Rasa server
    at `url`, asked only when the built-in engine understood nothing and `step` is no open answer: rasa_backend.py).

    `expect` is what the question asked for: "price" (a bare number is rupees), "quantity" (a bare number is
    pieces), "size" (two bare numbers are length and width), "number" ("do", "ek" are numbers), "name" (a
    person's name: no fuzzy lexicon matching), or None.
    """
    expect = _known_expect(expect)
    if backend == "rasa":
        from .rasa_backend import parse_with_rasa  # the Rasa backend is loaded only by those who use it
        return parse_with_rasa(text, url=url, expect=expect, step=step)
    return parse_builtin(text, expect)


def _known_expect(expect: str | None) -> str | None:
    """`expect` if it is one of EXPECT, else None (with a warning for anything but None)."""
    if expect in EXPECT:
        return expect
    if expect is not None:
        log.warning("nlu.parse: unknown expect=%r ignored", expect)
    return None


def parse_builtin(text: str, expect: str | None = None) -> dict:
    """The built-in engine: no server, no model."""
    text = _as_text(text)
    try:
        return _parse(text, expect)
    except Exception:  # a bug must not take the bot down: say we did not understand
        log.exception("nlu failed on %r", text[:200])
        return {"text": text, "intent": {"name": "inform", "confidence": FAILED_CONFIDENCE}, "entities": []}


def _as_text(text) -> str:
    """The message as a string: None is "", anything else its str()."""
    if isinstance(text, str):
        return text
    return "" if text is None else str(text)


def _parse(text: str, expect: str | None = None) -> dict:
    """Numbers, measures, lexicon values, then the intent, then the listing a command is about."""
    tokens = tokenize(text)
    numbers, ordinals = find_numbers(tokens, eager=expect == "number")
    entities, used, rest = extract(tokens, _lexicon_not_number(tokens, numbers))
    entities += _ordinals(tokens, ordinals, used)
    entities += _bare_numbers(tokens, rest, used, expect, entities)
    keys = [tables().polite.get(t.key, t.key) for t in tokens]  # "छोड़िए" is read as the phrases' "छोड़ो"
    if not _whole_command(tokens, keys):
        entities = _with_lexicon(tokens, entities, used, expect)
    intent, confidence, extra, ranking = classify(tokens, keys, used, kinds_of(entities))
    entities = listing_entities(intent, tokens, one_reading_per_product(entities) + extra)
    entities += profile_entities(tokens, text, entities)  # whose a value is: the artisan's own name, district, craft
    entities.sort(key=lambda e: (e["start"], -e["end"]))
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "entities": entities, "intent_ranking": ranking}


def _span(number: Num) -> tuple[int, int]:
    """The tokens a number was read from: (first, end)."""
    return number.i, number.j


def _mark(used: list[bool], first: int, end: int) -> None:
    """Mark tokens first..end-1 as taken by an entity."""
    used[first:end] = [True] * (end - first)


def _next_word(tokens: list[Token], start: int) -> Token | None:
    """The first token from `start` on that is no symbol."""
    return next((t for t in tokens[start:] if t.kind != "p"), None)


# --- numbers


# issue 17 (lexicon owner): "लाख की चूड़ियां", "lac bangles": लाख/lac alone is the material lac, not 1,00,000.
def _lexicon_not_number(tokens: list[Token], numbers: list[Num]) -> list[Num]:
    """Drop a lone multiplier word that is also a lexicon word and is not followed by money or a unit."""
    return [n for n in numbers if not _lexicon_multiplier(tokens, n) or _counts_something(tokens, _span(n)[1])]


def _lexicon_multiplier(tokens: list[Token], number: Num) -> bool:
    """A number read from one word that is both a multiplier and a lexicon word (लाख, lac)."""
    first, end = _span(number)
    token = tokens[first]
    return end - first == 1 and token.kind == "w" and token.key in tables().multiplier and _lexicon_word(token.key)


def _lexicon_word(word: str) -> bool:
    """A word that is a lexicon phrase on its own."""
    return (word,) in tables().lexicon


def _counts_something(tokens: list[Token], end: int) -> bool:
    """Money, a unit or digits come next: "2 लाख रुपये", "लाख 5"."""
    following = _next_word(tokens, end)
    return following is not None and (following.kind == "d" or _money_or_unit(following.key))


def _money_or_unit(word: str) -> bool:
    """A currency word or a unit ("रुपये", "मीटर")."""
    return word in tables().currency or word in tables().unit


def _ordinals(tokens: list[Token], ordinals: list[Num], used: list[bool]) -> list[dict]:
    """Ordinal entities, but not "पहले" that means "before"; marks their tokens."""
    found = []
    for number in ordinals:
        first, end = _span(number)
        if _means_before(tokens, first, end):
            continue
        found.append(span_entity("ordinal", number.value, tokens, first, end))
        _mark(used, first, end)
    return found


def _means_before(tokens: list[Token], first: int, end: int) -> bool:
    """"पहले" in a message of more than one word is "before" unless वाला/नंबर/listing or a product word follows."""
    if tokens[first].key not in _FIRST or len(words_of(tokens)) < 2:
        return False
    following = _next_word(tokens, end)
    return following is None or not _follows_ordinal(following.key)


def _follows_ordinal(word: str) -> bool:
    """A word that says the word before it is an ordinal: वाला, नंबर, listing, or a product word ("पहले वाली दरी")."""
    return word in tables().words["ordinal_follower"] or word in tables().lexicon_first


def _bare_numbers(tokens: list[Token], rest: list[Num], used: list[bool], expect: str | None,
                  entities: list[dict]) -> list[dict]:
    """The numbers no measure took, read as the answer the question expects; marks their tokens."""
    bare = []
    for number in rest:
        first, end = _span(number)
        bare.append(span_entity("number", tidy(number.value), tokens, first, end))
        _mark(used, first, end)
    reader = _EXPECTED.get(expect)
    return reader(bare, kinds_of(entities)) if reader else bare


def _as_price(bare: list[dict], kinds: set[str]) -> list[dict]:
    """"500" to "what price?": rupees."""
    if len(bare) == 1 and "amount_of_money" not in kinds:
        return [bare[0] | {"entity": "amount_of_money", "unit": "INR"}]
    return bare


def _as_quantity(bare: list[dict], kinds: set[str]) -> list[dict]:
    """"5" to "how many?": pieces."""
    if len(bare) == 1 and "quantity" not in kinds:
        return [bare[0] | {"entity": "quantity", "unit": "piece"}]
    return bare


def _as_size(bare: list[dict], kinds: set[str]) -> list[dict]:
    """"6 4" to "what size?": length and width (and height), unit unsaid."""
    if len(bare) not in (2, 3) or "dimensions" in kinds:
        return bare
    value = dict(zip(("length", "width", "height"), (e["value"] for e in bare))) | {"unit": None}
    return [{"entity": "dimensions", "value": value, "start": bare[0]["start"], "end": bare[-1]["end"]}]


_EXPECTED = {"price": _as_price, "quantity": _as_quantity, "size": _as_size}  # "number" and "name" keep numbers


# --- lexicon


def _whole_command(tokens: list[Token], keys: list[str]) -> bool:
    """The whole message is a command phrase ("जारी रखें", "jari rakhein"): no lexicon words in it."""
    words = tuple(keys[i] for i, t in enumerate(tokens) if t.kind != "p")
    # A single word is left to the lexicon and then the intent reading.
    return len(words) >= 2 and command_phrase(words) is not None


def _with_lexicon(tokens: list[Token], entities: list[dict], used: list[bool], expect: str | None) -> list[dict]:
    """The entities with the lexicon values the message names, outside people's names and negated values."""
    blocked = person_names(tokens) | name_words(tokens) | {i for i, t in enumerate(tokens) if t.raw in NOT_LEXICON}
    found = lexicon_entities(tokens, used, fuzzy=expect != "name", blocked=blocked)
    return compound(negated(tokens, entities + found))
