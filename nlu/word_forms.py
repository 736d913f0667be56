"""Forms of a word the data files list once: plurals and oblique forms of lexicon words, polite imperatives."""
from .data_files import word_key
from .normalise import key

_DEVANAGARI_CONSONANTS = tuple(map(chr, range(0x0915, 0x093A)))  # क .. ह
# Plural and oblique forms, by how the word's key ends: (endings, letters to drop, endings to add, more endings to add
# to a colour). The first rule whose ending the word has is its only one.
_DEVANAGARI_FORMS = (
    # -ी (folded to -ि): दरि -> दरियां, दरियों, दरिया, दरिये
    ("\u093f", 0, ("\u092f\u093e\u0902", "\u092f\u094b\u0902", "\u092f\u093e", "\u092f\u0947"), ()),
    # -ा: मटका -> मटके, मटकों; a colour also agrees with a feminine noun: नीला -> नीलि (नीली folded)
    ("\u093e", 1, ("\u0947", "\u094b\u0902"), ("\u093f",)),
    # a consonant: चादर -> चादरें, चादरों
    (_DEVANAGARI_CONSONANTS, 0, ("\u0947\u0902", "\u094b\u0902"), ()),
)
_ROMAN_FORMS = (
    ("i", 0, ("yan", "ya", "yon", "an", "es", "s"), ()),  # dari -> dariyan, dariyon, daris
    ("a", 1, ("e", "on", "en", "as"), ("i",)),           # matka -> matke, matkon; neela -> neeli
    ("y", 1, ("ies", "ys"), ()),                        # pottery -> potteries
    ("e", 0, ("s",), ()),                               # stole -> stoles
    ("", 0, ("en", "ein", "on", "s", "es"), ()),        # any other: chadar -> chadaren, chadaron
)
_MIN_ROMAN_LENGTH = 3  # shorter Roman words get no made-up plurals: they would fall on too many other words


def inflections(word: str, entity: str) -> list[str]:
    """Plural and oblique forms of a lexicon word's key: दरि -> दरियां; मटका -> मटके; chadar -> chadaren."""
    for ending, drop, forms, colour_forms in _form_rules(word):
        if word.endswith(ending):
            return _keys_of(word[:len(word) - drop], forms + colour_forms if entity == "colour" else forms)
    return []


def _keys_of(stem: str, endings: tuple[str, ...]) -> list[str]:
    """Keys of the stem with each ending."""
    return [key(stem + ending) for ending in endings]


def _form_rules(word: str) -> tuple:
    """The ending rules for the word's script; none for a short or mixed Roman word."""
    if "\u0900" <= word[:1] <= "\u097f":
        return _DEVANAGARI_FORMS
    return _ROMAN_FORMS if _plain_roman(word) else ()


def _plain_roman(word: str) -> bool:
    """A Roman word of letters only, long enough to inflect."""
    return word.isascii() and word.isalpha() and len(word) >= _MIN_ROMAN_LENGTH


# Polite imperatives whose stem changes: दो -> दीजिए, करो -> कीजिए, लो -> लीजिए.
_IRREGULAR = {"दो": ("दीजिए", "दीजिये", "दिजिए", "दें", "दीजियेगा"),
              "करो": ("कीजिए", "कीजिये", "करें", "करिए", "करिये"),
              "लो": ("लीजिए", "लीजिये", "लें"), "do": ("dijiye", "dijie", "dein", "dijiyega"),
              "karo": ("kijiye", "kijie", "karein", "karen", "kariye", "kariyega"), "lo": ("lijiye", "lein")}
# Regular polite imperatives: (-ो form's ending, the word must be longer than, Roman only, endings replacing its
# last letter). The first rule that matches is the only one: "hatao" takes the -ao rule, not the -o one.
_POLITE_RULES = (
    # छोड़ो -> छोड़ें, छोड़िए, छोड़िये, छोड़िएगा
    ("\u094b", 2, False, ("\u0947\u0902", "\u093f\u090f", "\u093f\u092f\u0947", "\u093f\u090f\u0917\u093e")),
    ("\u0913", 2, False, ("\u090f\u0902", "\u0907\u090f", "\u0907\u092f\u0947", "\u090f")),  # हटाओ -> हटाएं, हटाइए
    ("ao", 3, True, ("iye", "ie", "yen", "yein", "en", "ein")),  # hatao -> hataiye, hatayen
    ("o", 3, True, ("iye", "ie", "en", "ein", "iyega")),  # chodo -> chodiye, choden
)


def polite_forms(words: set[str], phrases: dict) -> dict[str, str]:
    """Polite imperatives (-ें, -िए, -िये, -इए; -iye, -ein) mapped to the -ो form the phrases use."""
    out = {}
    for word in words:
        for form_key in _polite_keys(word, phrases):
            out.setdefault(form_key, word)
    return out


def _polite_keys(word: str, phrases: dict) -> list[str]:
    """Keys of the word's polite forms, but for the word itself and a form that is a phrase of its own."""
    return [form for form in map(word_key, _polite_variants(word)) if form != word and (form,) not in phrases]


def _polite_variants(word: str) -> list[str]:
    """Every polite form of one -ो imperative: the irregular ones, then the regular ones."""
    return list(_IRREGULAR.get(word, ())) + [word[:-1] + ending for ending in _polite_endings(word)]


def _polite_endings(word: str) -> tuple[str, ...]:
    """The endings of the first polite rule that fits the word (they replace its last letter), or none."""
    return next((polite for ending, longer_than, roman_only, polite in _POLITE_RULES
                 if _polite_rule_fits(word, ending, longer_than, roman_only)), ())


def _polite_rule_fits(word: str, ending: str, longer_than: int, roman_only: bool) -> bool:
    """Does a -ो rule apply to the word: its ending, its length, and its script where the rule is Roman?"""
    return word.endswith(ending) and len(word) > longer_than and (word.isascii() or not roman_only)
