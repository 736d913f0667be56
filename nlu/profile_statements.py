"""The artisan speaking of themself, at any step: "mera naam Sunita hai", "naam galat hai, Sunita likho", "mera zila
Hisar hai", "main phulkari banati hu".

Read as a `profile` entity whose value names the field (name, district or craft) over the words that say so, and,
for a name, a `person_name` entity with the name as written. The district or craft itself is the lexicon's entity.
The intent is left as it was read (inform, edit): these entities only say whose the value is. Word lists: the
lookups of nlu/data/profile.yml."""
from functools import lru_cache

from .data_files import read
from .entities import span_entity
from .normalise import key
from .tokens import Token

NAME_MOST_WORDS = 3  # a name said inside a message
HARD_VALUES = frozenset({"amount_of_money", "quantity", "dimensions", "number"})  # "main 10 jutti banati hu": an item
MOST_WORDS = 10  # a longer message is a description ("main 2 din me ek dari banati hu, hath se ...")
CRAFT_VALUES = ("craft", "product")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """Each lookup of profile.yml as a set of word keys."""
    return {name: frozenset(map(key, words)) for name, words in read("profile.yml")["lookups"].items()}


def _is(token: Token | None, lookup: str) -> bool:
    return token is not None and token.kind == "w" and token.key in _words()[lookup]


def profile_entities(tokens: list[Token], text: str, entities: list[dict]) -> list[dict]:
    """The profile statement the message makes, as entities (none when it makes none)."""
    kinds = {e["entity"] for e in entities}
    if kinds & HARD_VALUES or sum(t.kind == "w" for t in tokens) > MOST_WORDS:
        return []
    said = (_name(tokens, text, _taken(tokens, entities)), _district(tokens, kinds), _craft(tokens, kinds))
    return [entity for found in said if found for entity in found]


def _taken(tokens: list[Token], entities: list[dict]) -> set[int]:
    """Positions of the tokens an entity covers (a district or a craft is no name)."""
    spans = [(e["start"], e["end"]) for e in entities if "start" in e]
    return {i for i, t in enumerate(tokens) if any(start <= t.start < end for start, end in spans)}


def _word_before(tokens: list[Token], i: int) -> Token | None:
    return tokens[i - 1] if i > 0 else None


# --- a name


def _name(tokens: list[Token], text: str, taken: set[int]) -> list[dict] | None:
    """"mera naam Sunita hai", "my name is Kamla Devi", "naam galat hai, Sunita likho"."""
    for i, token in enumerate(tokens):
        span = _name_span(tokens, i, taken) if _is(token, "profile_name_word") else None
        if span:
            first, end = span
            cue = i - 1 if _is(_word_before(tokens, i), "profile_mine") else i
            name = text[tokens[first].start:tokens[end - 1].end]
            return [span_entity("profile", "name", tokens, cue, i + 1), span_entity("person_name", name, tokens, first, end)]
    return None


def _name_span(tokens: list[Token], i: int, taken: set[int]) -> tuple[int, int] | None:
    """Where the name is, for the name word at `i`: right after "mera naam (hai)", or before "likho"; none after "iska
    naam" (a thing's name)."""
    before = _word_before(tokens, i)
    if _is(before, "profile_of_thing"):
        return None
    if _is(before, "profile_mine"):
        return _run_after(tokens, i + 1, taken)
    return _run_before_write(tokens, i + 1, taken)


def _could_be_named(tokens: list[Token], n: int, taken: set[int]) -> bool:
    token = tokens[n]
    return token.kind == "w" and n not in taken and not _is(token, "profile_name_stop")


def _run_after(tokens: list[Token], start: int, taken: set[int]) -> tuple[int, int] | None:
    """Up to three name words after the cue ("hai"/"is" skipped), until a stop word or a sign."""
    while start < len(tokens) and _is(tokens[start], "profile_be"):
        start += 1
    end = start
    while end < len(tokens) and end - start < NAME_MOST_WORDS and _could_be_named(tokens, end, taken):
        end += 1
    return (start, end) if end > start else None


def _run_before_write(tokens: list[Token], start: int, taken: set[int]) -> tuple[int, int] | None:
    """"naam galat hai, Sunita likho": the name words right before the first "write" verb after the cue."""
    verb = next((n for n in range(start, len(tokens)) if _is(tokens[n], "profile_write_verb")), None)
    if verb is None:
        return None
    first = verb
    while first > start and verb - first < NAME_MOST_WORDS and _could_be_named(tokens, first - 1, taken):
        first -= 1
    return (first, verb) if first < verb else None


# --- a district or a craft


def _district(tokens: list[Token], kinds: set[str]) -> list[dict] | None:
    """"mera zila Hisar hai", "zila galat hai, Jind likho", "main Hisar se hu"."""
    if "district" not in kinds:
        return None
    cue = _field_cue(tokens, "profile_district_word") or _from_here(tokens)
    return [span_entity("profile", "district", tokens, *cue)] if cue else None


def _craft(tokens: list[Token], kinds: set[str]) -> list[dict] | None:
    """"main phulkari banati hu", "मैं दरी बुनती हूँ", "mera kaam jutti hai"."""
    if not kinds & set(CRAFT_VALUES):
        return None
    cue = _field_cue(tokens, "profile_craft_word") or _i_make(tokens)
    return [span_entity("profile", "craft", tokens, *cue)] if cue else None


def _field_cue(tokens: list[Token], lookup: str) -> tuple[int, int] | None:
    """The field's word said as the artisan's own ("mera zila") or with a change ("zila galat hai", "zila ... likho")."""
    for i, token in enumerate(tokens):
        if not _is(token, lookup):
            continue
        if _is(_word_before(tokens, i), "profile_mine"):
            return i - 1, i + 1
        if any(_is(t, "profile_wrong") or _is(t, "profile_write_verb") for t in tokens[i + 1:]):
            return i, i + 1
    return None


def _from_here(tokens: list[Token]) -> tuple[int, int] | None:
    """"main Hisar se hu", "मैं हिसार से हूँ": I, then a "from" word followed by "am"."""
    if not any(_is(t, "profile_self") for t in tokens):
        return None
    words = [(i, t) for i, t in enumerate(tokens) if t.kind == "w"]
    for (i, word), (_, following) in zip(words, words[1:]):
        if _is(word, "profile_from") and _is(following, "profile_be"):
            return i, i + 1
    return None


def _i_make(tokens: list[Token]) -> tuple[int, int] | None:
    """"main ... banati hu": I, then a making verb later in the message."""
    self_at = next((i for i, t in enumerate(tokens) if _is(t, "profile_self")), None)
    if self_at is None:
        return None
    verb = next((i for i in range(self_at + 1, len(tokens)) if _is(tokens[i], "profile_make_verb")), None)
    return (verb, verb + 1) if verb is not None else None
