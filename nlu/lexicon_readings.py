"""Which lexicon readings a message keeps: a name is no product, a negated value gives way, two products may be one."""
from .entities import of_kind, replaced, span_of, without
from .lexicon import english
from .normalise import key, phrase_key
from .tokens import Token, words_of
from .word_tables import tables

# --- names: "Rakhi", "Mala", "Mohan Lal" are people, not a rakhi, a garland or the colour red

_NAME_BEFORE = frozenset(key(w) for w in ("main", "mai", "मैं", "naam", "नाम", "name", "myself", "am", "im"))
_NAME_AFTER = frozenset(key(w) for w in ("hun", "hu", "hoon", "हूं", "हूँ"))
_NAME_RUN = 2  # two name words together are a first name and a surname


def person_names(tokens: list[Token]) -> set[int]:
    """Tokens of a person's name: two or more name words together, one of them no lexicon word ("Mohan Lal")."""
    out, start = set(), 0
    while start < len(tokens):
        end = _name_run_end(tokens, start)
        if _is_full_name(tokens, start, end):
            out.update(range(start, end))
        start = max(end, start + 1)
    return out


def _is_full_name(tokens: list[Token], start: int, end: int) -> bool:
    """Two or more name words, not all of them lexicon words ("Mohan Lal")."""
    return end - start >= _NAME_RUN and not all(_is_lexicon_word(tokens[i].key) for i in range(start, end))


def _name_run_end(tokens: list[Token], start: int) -> int:
    """The end of the run of name words that starts at `start` (itself when that token is no name word)."""
    end = start
    while end < len(tokens) and _is_name_word(tokens[end]):
        end += 1
    return end


def _is_name_word(token: Token) -> bool:
    """A word of names.yml."""
    return token.kind == "w" and token.key in tables().person_name


def _is_lexicon_word(word: str) -> bool:
    """A word that is a lexicon phrase on its own."""
    return (word,) in tables().lexicon


def name_words(tokens: list[Token]) -> set[int]:
    """A lexicon word that is also a given name ("Rakhi", "Mala"), said as a name: after "main"/"naam" or before a
    surname ("Rakhi Sharma", "मैं राखी हूँ")."""
    return {i for i, token in enumerate(tokens) if _could_be_a_name(token) and _said_as_name(tokens, i)}


def _could_be_a_name(token: Token) -> bool:
    """A name word that is also a lexicon word, but no colour (a colour word stays a colour)."""
    return _is_name_word(token) and "colour" not in tables().lexicon.get((token.key,), {"colour": 1})


def _said_as_name(tokens: list[Token], i: int) -> bool:
    """After "main"/"naam", before "hoon", or before a surname (a name word that is no lexicon word nor "by")."""
    before, after = _word_key(tokens, i - 1), _word_key(tokens, i + 1)
    return before in _NAME_BEFORE or after in _NAME_AFTER or _is_surname(after)


def _word_key(tokens: list[Token], i: int) -> str | None:
    """Key of the word at `i`, or None past either end or at a symbol."""
    if 0 <= i < len(tokens) and tokens[i].kind == "w":
        return tokens[i].key
    return None


def _is_surname(word: str | None) -> bool:
    """A name word that is no lexicon phrase and no size's "by" ("6 bai 4")."""
    return word in tables().person_name and not _is_lexicon_word(word) and word not in tables().by


# --- negation: "लाल नहीं, नीला" is blue

_NEGATABLE = ("colour", "material", "product")
_NEGATE_AFTER = frozenset(key(w) for w in {"नहीं", "नहि", "नही", "ना", "कोनी", "मत",
                                           "nahi", "nahin", "nai", "nhi", "na", "koni", "not", "no"})
_NEGATE_BEFORE = frozenset({"not", "no"})
# Words that may stand between a value and its "nahi": "लाल है नहीं", "red it is not".
_BETWEEN = frozenset(key(w) for w in {"है", "हैं", "सै", "hai", "h", "he", "है,", "tha", "था", "थी", "thi", "it", "is"})
_WORDS_AFTER = 3  # how far after a value its "nahi" may be


def negated(tokens: list[Token], entities: list[dict]) -> list[dict]:
    """Drop a lexicon value the message negates when another of its kind replaces it.

    "लाल नहीं, नीला" is blue; "not red, it is maroon" is maroon; "ऊन नहीं सूती" is cotton. A negated value with no
    replacement stays (the intent rules decide what the message is)."""
    values = of_kind(entities, *_NEGATABLE)
    if len(values) < 2:
        return entities
    dropped = _negated_and_replaced(tokens, values)
    if not dropped or _drops_every_value_of_a_kind(dropped, values):
        return entities
    return without(entities, dropped)


def _negated_and_replaced(tokens: list[Token], values: list[dict]) -> list[dict]:
    """The values that are negated and that another value of their kind replaces."""
    words = words_of(tokens)
    return [e for e in values if _is_negated(e, tokens, words) and _is_replaced(e, values)]


def _is_negated(entity: dict, tokens: list[Token], words: list[Token]) -> bool:
    """A "nahi" after the value (past "है" and the like), or "not"/"no" right before it."""
    return _negation_after(entity, words) or _negation_before(entity, tokens)


def _negation_after(entity: dict, words: list[Token]) -> bool:
    """Is there a negation among the next few words, with only "है"/"is" and the like before it?"""
    for word in _words_after(entity, words):
        if word in _NEGATE_AFTER:
            return True
        if word not in _BETWEEN:
            return False
    return False


def _words_after(entity: dict, words: list[Token]) -> list[str]:
    """Keys of the few words after an entity."""
    return [t.key for t in words if t.start >= entity["end"]][:_WORDS_AFTER]


def _negation_before(entity: dict, tokens: list[Token]) -> bool:
    """Is the token right before the value "not" or "no"?"""
    before = [t.key for t in tokens if t.end <= entity["start"]]
    return bool(before) and before[-1] in _NEGATE_BEFORE


def _is_replaced(entity: dict, values: list[dict]) -> bool:
    """Another value of the same kind is named."""
    return any(o["value"] != entity["value"] for o in of_kind(values, entity["entity"]) if o is not entity)


def _drops_every_value_of_a_kind(dropped: list[dict], values: list[dict]) -> bool:
    """Each value of the dropped kinds is negated: nothing replaces them, so all stay."""
    return len(dropped) == len(of_kind(values, *{d["entity"] for d in dropped}))


# --- two products


def compound(entities: list[dict]) -> list[dict]:
    """Two products that together name one in the lexicon ("phulkari ka kaam ... 3 dupatte": a phulkari dupatta)."""
    products = of_kind(entities, "product")
    if len(products) != 2:
        return entities
    first, second = products
    named = tables().lexicon.get(phrase_key(first["value"] + " " + second["value"]), {}).get("product")
    if not named:
        return entities
    merged = first | {"value": named, "value_en": english("product", named), "end": max(first["end"], second["end"])}
    return replaced(without(entities, [second]), first, merged)


def one_reading_per_product(entities: list[dict]) -> list[dict]:
    """"bans ki tokri": with another product named, a word read as both a material (or craft) and a product is
    the material; "phulkari wale cushion cover" is a cushion cover with phulkari work."""
    products = of_kind(entities, "product")
    doubled = _also_material_or_craft(entities, products)
    if len(products) < 2 or not doubled or len(doubled) == len(products):
        return entities
    return without(entities, doubled)


def _also_material_or_craft(entities: list[dict], products: list[dict]) -> list[dict]:
    """The products whose words are also read as a material or a craft."""
    others = set(map(span_of, of_kind(entities, "material", "craft")))
    return [e for e in products if span_of(e) in others]
