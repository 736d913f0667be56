"""Every word table the engine needs, read once from the Rasa NLU YAML files in nlu/data."""
import unicodedata
from functools import lru_cache
from itertools import chain

from .data_files import read, unlabel, with_synonyms, word_key
from .normalise import phrase_key
from .word_forms import inflections, polite_forms

ENTITIES = ("product", "material", "colour", "craft", "district")  # the lexicon's entities, one file each
INFLECTED = ("product", "material", "colour")  # nouns and adjectives: a craft or a district has no plural
UNITS = ("metre", "centimetre", "foot", "inch", "yard", "kilogram", "gram", "piece", "pair", "dozen", "set")
SIZE_LABELS = ("length", "width", "height")
# Shorter unknown words stay as they are: among short words one edit reaches too many others to tell a typo.
MIN_FUZZY_LENGTH = 6
_STYLE = {"ज़री", "चिंदी"}  # "तिल्ला जूती", "चिंदी दरी" name a kind of product, not what it is made of
_HINDI_NUMBER_WORDS_BELOW = 100  # hindi_word spells 0..99; larger numbers are built from these


class Tables:
    """The word tables, each built by a small builder below from the data files."""

    def __init__(self):
        numbers, intents = read("numbers.yml"), read("intents.yml")
        self._read_numbers(numbers, read("ordinals.yml"))
        self._read_measures(read("units.yml"), read("money.yml"), read("fields.yml"))
        self._read_intents(intents)
        self._read_lexicon({entity: read(entity + "s.yml") for entity in ENTITIES})
        self.person_name = _lookup_keys(read("names.yml"), "person_name")
        self.known = _known_words(self)
        self.hindi_word = _hindi_number_words(numbers)

    def _read_numbers(self, numbers: dict, ordinals: dict) -> None:
        """cardinal, multiplier, fraction, prefix ("साढ़े": +0.5), ambiguous, ordinal, ordinal_suffix."""
        self.cardinal, self.multiplier, self.fraction, self.prefix = _number_words(numbers)
        self.ambiguous = {example.lower() for example in numbers["lookups"]["ambiguous_number"]}
        self.ordinal = _ordinal_words(ordinals)
        self.ordinal_suffix = _lookup_keys(ordinals, "ordinal_suffix")

    def _read_measures(self, units: dict, money: dict, fields: dict) -> None:
        """unit, ambiguous_unit, by ("बाई"), size_label, currency, paise, per, price_suffix, field, price_word."""
        self.unit = _unit_words(units)
        self.ambiguous_unit = _lookup_keys(units, "ambiguous_unit")
        self.by = _synonym_keys(units, "by")
        self.size_label = _size_labels(units)
        self.currency, self.paise = _synonym_keys(money, "INR"), _synonym_keys(money, "paise")
        self.per, self.price_suffix = _synonym_keys(money, "per"), _synonym_keys(money, "price_suffix")
        self.field = _field_words(fields)
        self.price_word = _words_of_value(self.field, "price")

    def _read_intents(self, intents: dict) -> None:
        """words (each lookup of intents.yml), intent_phrases, polite (-िए/-iye forms of their -ो words)."""
        self.words = {name: _lookup_keys(intents, name) for name in intents["lookups"]}
        self.intent_phrases = _intent_phrases(intents)
        self.polite = polite_forms(_command_words(self), self.intent_phrases)

    def _read_lexicon(self, files: dict[str, dict]) -> None:
        """lexicon ({phrase keys: {entity: value}}), english, fuzzy_targets, natural_colour, modifier, lexicon_first."""
        self.lexicon, self.english = _lexicon_entries(files)
        self.fuzzy_targets = _fuzzy_targets(self.lexicon)  # before the plurals: a typo is of a word the files spell
        _add_inflections(self.lexicon)
        self.natural_colour = _natural_colour(files["colour"])
        self.modifier = _colour_modifiers(files["colour"])
        _drop_modifier_colours(self.lexicon, self.modifier)
        self.lexicon = _without_empty(self.lexicon)
        _add_materials_inside_products(self.lexicon)
        self.lexicon_first = {phrase[0] for phrase in self.lexicon}


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The tables, built on first use."""
    return Tables()


# --- numbers


_NUMBER_TYPE = {"prefix": float, "multiplier": int, "fraction": float, "cardinal": int}


def _number_words(numbers: dict) -> tuple[dict, dict, dict, dict]:
    """numbers.yml's words as cardinal, multiplier, fraction and prefix tables: {word key: number}."""
    multiplier_words = set(map(word_key, with_synonyms(numbers, numbers["lookups"]["multiplier"])))
    found = {kind: {} for kind in _NUMBER_TYPE}
    for value, examples in numbers["synonyms"].items():
        for word in map(word_key, examples):
            kind = _number_kind(value, word, multiplier_words)
            found[kind][word] = _NUMBER_TYPE[kind](value)
    return found["cardinal"], found["multiplier"], found["fraction"], found["prefix"]


def _number_kind(value: str, word: str, multiplier_words: set[str]) -> str:
    """Which table a number word goes to: "+0.5" (साढ़े) is a prefix, "सौ" a multiplier, "0.5" (आधा) a fraction."""
    if value[0] in "+-":
        return "prefix"
    if word in multiplier_words:
        return "multiplier"
    if "." in value:
        return "fraction"
    return "cardinal"


def _hindi_number_words(numbers: dict) -> dict[int, str]:
    """{n: the Hindi word for n} for n below 100, as numbers.yml spells it first (NFC)."""
    return {int(value): unicodedata.normalize("NFC", examples[0]) for value, examples in numbers["synonyms"].items()
            if value.isdigit() and int(value) < _HINDI_NUMBER_WORDS_BELOW}


# --- units, fields, intents


def _synonym_keys(doc: dict, value: str) -> set[str]:
    """Keys of every synonym of one value."""
    return set(map(word_key, doc["synonyms"][value]))


def _lookup_keys(doc: dict, lookup: str) -> set[str]:
    """Keys of every word of one lookup."""
    return set(map(word_key, doc["lookups"][lookup]))


def _ordinal_words(ordinals: dict) -> dict[str, int]:
    """{word key: n} for the ordinal words ("तीसरा" -> 3)."""
    return {word_key(example): int(value) for value, examples in ordinals["synonyms"].items() for example in examples}


def _words_to_value(values_and_words) -> dict[str, str]:
    """{word: value} from (value, words) pairs; a word of two values is the later one's."""
    out = {}
    for value, words in values_and_words:
        out.update(dict.fromkeys(words, value))
    return out


def _unit_words(units: dict) -> dict[str, str]:
    """{word: unit} for the units and their synonyms ("फीट" -> foot)."""
    return _words_to_value((unit, _synonym_keys(units, unit) | {word_key(unit)}) for unit in UNITS)


def _size_labels(units: dict) -> dict[str, str]:
    """{word: label} for length, width and height ("लंबाई" -> length)."""
    return _words_to_value((label, _synonym_keys(units, label)) for label in SIZE_LABELS)


def _field_words(fields: dict) -> dict[str, str]:
    """{word: field} for the listing fields ("कीमत" -> price)."""
    return _words_to_value((name, map(word_key, examples)) for name, examples in fields["synonyms"].items())


def _words_of_value(table: dict[str, str], value: str) -> set[str]:
    """The words a {word: value} table maps to this value."""
    return {word for word, name in table.items() if name == value}


def _intent_phrases(intents: dict) -> dict[tuple[str, ...], str]:
    """{phrase keys: intent} for every example of a command intent; a phrase in two intents is the first one's."""
    phrases = {}
    for name, examples in intents["intents"].items():
        if name != "inform":  # inform is what a message is when it says no command
            _add_phrases(phrases, name, examples)
    return phrases


def _add_phrases(phrases: dict, name: str, examples: list[str]) -> None:
    """File one intent's examples, without their entity labels, under the intent."""
    for phrase in map(phrase_key, map(unlabel, examples)):
        if phrase:
            phrases.setdefault(phrase, name)


def _words_of(phrases) -> set[str]:
    """Every word of some phrases."""
    return set(chain.from_iterable(phrases))


def _command_words(built: Tables) -> set[str]:
    """Every word of a command phrase or of a lookup of intents.yml."""
    return _words_of(built.intent_phrases) | set().union(*built.words.values())


def _known_words(built: Tables) -> set[str]:
    """Every word some table knows: the fuzzy matcher corrects only words outside this set."""
    numbers = set(built.cardinal) | set(built.multiplier) | set(built.fraction) | set(built.prefix) | set(built.ordinal)
    measures = set(built.unit) | built.currency | built.paise | set(built.field)
    return (numbers | measures | _command_words(built) | set(built.modifier) | _words_of(built.lexicon)
            | built.person_name | built.words.get("common_word", set()))


# --- the lexicon: products, materials, colours, crafts, districts


def _lexicon_entries(files: dict[str, dict]) -> tuple[dict, dict]:
    """({phrase keys: {entity: value}}, {(entity, value): English}) from each entity's file."""
    lexicon, english = {}, {}
    for entity, doc in files.items():
        for value, examples in doc["synonyms"].items():
            english[(entity, value)] = examples[0] if examples else value  # the first example is the English
            _add_entry(lexicon, entity, value, [value] + examples)
    return lexicon, english


def _add_entry(lexicon: dict, entity: str, value: str, examples: list[str]) -> None:
    """Every example of one value names that value; a phrase may name values of several entities."""
    for example in examples:
        lexicon.setdefault(phrase_key(example), {})[entity] = value


def _add_inflections(lexicon: dict) -> None:
    """Plurals and oblique forms of each phrase's last word: दरियां, surahiyan, chaadaren."""
    for phrase, hit in list(lexicon.items()):
        for entity, value in hit.items():
            if entity in INFLECTED:
                _add_forms(lexicon, phrase, entity, value)


def _add_forms(lexicon: dict, phrase: tuple, entity: str, value: str) -> None:
    """The phrase with each form of its last word names the same value, unless it already names one."""
    for form in inflections(phrase[-1], entity):
        lexicon.setdefault(phrase[:-1] + (form,), {}).setdefault(entity, value)


def _fuzzy_targets(lexicon: dict) -> list[str]:
    """The lexicon's words long enough to correct a typo to, sorted."""
    return sorted(word for word in _words_of(lexicon) if len(word) >= MIN_FUZZY_LENGTH)


def _natural_colour(colours: dict) -> str:
    """The colour value whose synonyms hold "natural" (undyed)."""
    return next(value for value, examples in colours["synonyms"].items() if "natural" in examples)


def _without_empty(lexicon: dict) -> dict:
    """The phrases that still name some value (a modifier's phrase may name none now)."""
    return {phrase: hit for phrase, hit in lexicon.items() if hit}


def _colour_modifiers(colours: dict) -> dict[str, str]:
    """{word: modifier} for "dark", "गहरा", "light"...: they change a colour and are none."""
    modifier = {}
    for value in colours["lookups"]["colour_modifier"]:
        modifier.update(dict.fromkeys(map(word_key, [value] + colours["synonyms"][value]), value))
    return modifier


def _drop_modifier_colours(lexicon: dict, modifier: dict) -> None:
    """A modifier word alone is no colour ("गहरा" is dark, not a colour of its own)."""
    for word in modifier:
        lexicon.get((word,), {}).pop("colour", None)


def _add_materials_inside_products(lexicon: dict) -> None:
    """"lakdi ke khilone", "copper bottle": a product whose name holds a material is of that material."""
    for phrase, hit in lexicon.items():
        material = _material_inside(phrase, lexicon) if _product_without_material(phrase, hit) else None
        if material is not None:
            hit["material"] = material


def _product_without_material(phrase: tuple, hit: dict) -> bool:
    """A product phrase of several words that names no material of its own."""
    return "product" in hit and "material" not in hit and len(phrase) >= 2


def _material_inside(phrase: tuple, lexicon: dict) -> str | None:
    """The material that the first shorter run of the phrase's words names, if one does."""
    inside = (lexicon.get(run) for run in _inner_runs(phrase))
    return next((hit["material"] for hit in inside if _plain_material(hit)), None)


def _inner_runs(phrase: tuple):
    """Every shorter run of the phrase's words: leftmost start first, longest first from each start."""
    n = len(phrase)
    return (phrase[a:b] for a in range(n) for b in range(n, a, -1) if (a, b) != (0, n))


def _plain_material(hit: dict | None) -> bool:
    """A lexicon hit that names a material and no product, and a material rather than a style (ज़री)."""
    return bool(hit) and "material" in hit and "product" not in hit and hit["material"] not in _STYLE
