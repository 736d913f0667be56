"""Commands said in other words (issue 17): each cue needs words of two kinds ("kisi" + "baat": a person), so one
word in a description does not make a command. Word lists: the cue_* lookups in intents.yml, and a few below."""
from functools import lru_cache
from typing import Callable

from .message import Message
from .normalise import key
from .word_tables import tables

HARD_VALUES = frozenset({"amount_of_money", "dimensions", "quantity"})  # a price, size or count is being given
VALUES = HARD_VALUES | {"product", "material", "colour", "district", "craft"}
_MOST_WORDS = 12  # a longer message is a description, whatever words it holds

# Word groups the cues use besides intents.yml's lookups (folded to keys with the tables, on first use).
_GROUP_WORDS = {
    # Words that go with "I don't know" without changing it: "mujhe to size ka pata nahi ji".
    "plain": ("i", "mujhe", "मुझे", "hame", "हमें", "koi", "कोई", "abhi", "अभी", "to", "तो", "ka", "का", "ki", "की",
              "ke", "के", "है", "hai", "h", "जी", "ji", "sir", "bilkul", "बिल्कुल", "iska", "इसका", "uska", "उसका",
              "ye", "ये", "size", "naap", "नाप", "saiz", "साइज", "kuch", "कुछ", "really", "sahi", "सही", "t", "skip",
              "dont", "am", "im"),
    "help_strong": ("samajh", "samjh", "smjh", "समझ", "understand", "matlab", "मतलब", "meaning", "sahayata",
                    "सहायता", "confused", "explain"),
    # "shuru se karo", not "20 saal pehle shuru kiya".
    "restart_context": ("से", "se", "karo", "करो", "kar", "कर", "karte", "करते", "karna", "करना", "again",
                        "over", "from", "do", "दो", "please", "fir", "phir", "फिर"),
    "from": ("से", "se"),  # "phir se": again from the start
    "now": ("ab", "अब"),
    "photo": ("photo", "फोटो", "photos", "foto", "pics", "तस्वीर"),
    # "photo khatam" is no sold-out. Only these two keys: issue 17 also wrote "photos" unfolded, which no key matches,
    # so "photos khatam" reads sold_out, as it always has.
    "photo_word": ("photo", "फोटो"),
}


@lru_cache(maxsize=1)
def _word_groups() -> dict[str, frozenset[str]]:
    """Every word group a cue may need: the cue_* lookups, the groups above, and the show words for a listing."""
    words = tables().words
    groups = {name: frozenset(words[name]) for name in words if name.startswith("cue_")}
    groups |= {name: frozenset(map(key, group)) for name, group in _GROUP_WORDS.items()}
    groups["show_listing"] = frozenset(words["cue_show"] & {"listing", "listings", "status"})  # "listing dikhao"
    return groups


class Cue:
    """One way to say a command: word groups that must all be said, and limits on what else the message holds."""
    __slots__ = ("intent", "said", "most_words", "unless_said", "kinds", "unless_kinds", "also")

    def __init__(self, intent: str, *said: str, most_words: int = _MOST_WORDS, unless_said=(), kinds=(),
                 unless_kinds=(), also: Callable[[Message], bool] | None = None):
        self.intent, self.said, self.most_words = intent, frozenset(said), most_words
        self.unless_said = frozenset(unless_said)  # word groups that rule it out
        self.kinds, self.unless_kinds = frozenset(kinds), frozenset(unless_kinds)  # entities needed, ruling it out
        self.also = also  # a last check no table says

    def holds(self, message: Message, said: set[str]) -> bool:
        """Does the message, whose said groups are `said`, say this cue? (`self.said` is already checked)"""
        return self._fits_words(message, said) and self._fits_kinds(message.kinds) and self._fits_also(message)

    def _fits_words(self, message: Message, said: set[str]) -> bool:
        """Short enough, and none of the words that rule it out."""
        return len(message) <= self.most_words and self.unless_said.isdisjoint(said)

    def _fits_kinds(self, kinds: set[str]) -> bool:
        """The entities it needs, and none that rule it out."""
        return self.kinds <= kinds and self.unless_kinds.isdisjoint(kinds)

    def _fits_also(self, message: Message) -> bool:
        """The extra check, where there is one."""
        return self.also is None or self.also(message)


def _talks_twice(message: Message) -> bool:
    """Two "talk" words ("baat karni hai, call karo"): a person is wanted even without "kisi"."""
    return len(message.key_set & tables().words["cue_talk"]) > 1


def _only_not_knowing(message: Message) -> bool:
    """Nothing but "don't know" and plain words: "नाप का पता नहीं", "बेरा ना"; not "पता नहीं ज्यादा है"."""
    groups = _word_groups()
    return not message.key_set - groups["cue_know"] - groups["cue_negative"] - groups["plain"]


# Cues that hold whatever else the message names. The first cue that holds gives the intent.
_FOR_ANY_MESSAGE = (
    Cue("stop", "cue_message", "cue_stop", unless_kinds=HARD_VALUES),
    Cue("human", "cue_helpline", unless_kinds=HARD_VALUES),
    Cue("human", "cue_talk", "cue_person", unless_kinds=HARD_VALUES),
    Cue("human", "cue_talk", unless_kinds=HARD_VALUES, also=_talks_twice),
    Cue("human", "cue_phone", "cue_do", most_words=5, unless_kinds=HARD_VALUES),
    # "maal khatam", "jutti khatam ho gayi", "1 नंबर आली बिक गी"
    Cue("sold_out", "cue_sold", most_words=8, unless_said=["photo_word"],
        unless_kinds=["amount_of_money", "dimensions"]),
    # "तीसरा वाला अब नहीं है": that listing is no longer there
    Cue("sold_out", "now", "cue_negative", most_words=6, kinds=["ordinal"], unless_kinds=HARD_VALUES),
    Cue("done", "photo", "cue_another", "cue_negative", most_words=6, unless_kinds=HARD_VALUES),  # "और फोटो नहीं है"
    Cue("done", "cue_sent", "cue_past", "cue_all", most_words=7, unless_kinds=HARD_VALUES),
)
# Cues of a message that names no value.
_WITHOUT_VALUES = (
    Cue("skip", "cue_know", "cue_negative", most_words=6, also=_only_not_knowing),
    Cue("help", "cue_help", most_words=6),
    Cue("help", "cue_help", "help_strong", most_words=9),
    Cue("help", "cue_what", "cue_write", most_words=6),
    Cue("help", "cue_question", "cue_again", unless_said=["cue_back"]),
    Cue("back", "cue_back", "cue_question"),
    Cue("back", "cue_back", most_words=3, unless_said=["cue_again"]),
    Cue("back", "cue_before", "cue_question"),
    Cue("restart", "cue_restart", most_words=2, unless_kinds=["number"]),
    Cue("restart", "cue_restart", "restart_context", most_words=7, unless_kinds=["number"]),
    Cue("restart", "cue_again", "from", most_words=6, unless_said=["cue_help"]),
    Cue("cancel", "cue_list_verb", "cue_negative", most_words=8),
    Cue("new_listing", "cue_another", "cue_list_verb", most_words=9),
    Cue("new_listing", "cue_another", "cue_item", most_words=9),
    Cue("my_listings", "cue_my", "cue_show", most_words=7),
    Cue("my_listings", "cue_my", "cue_item", most_words=3),
    Cue("my_listings", "show_listing"),
    Cue("my_listings", "cue_item", "cue_show", most_words=5),
)
# Cues that still hold when the message names a product ("ek aur dari dalni hai", "meri dari kahan dikh rahi").
_WITH_VALUES = (
    Cue("cancel", "cue_list_verb", "cue_negative", most_words=8),
    Cue("new_listing", "cue_another", "cue_list_verb", most_words=9),
    Cue("my_listings", "cue_my", "cue_show", most_words=8, kinds=["product"]),
)


def cue_intent(message: Message) -> str | None:
    """An intent read from cue words, or None."""
    if len(message) > _MOST_WORDS:
        return None
    said = _said_groups(message)
    return _first_cue(_FOR_ANY_MESSAGE, message, said) or _cue_beside_values(message, said)


def _said_groups(message: Message) -> set[str]:
    """The word groups the message says a word of."""
    return {name for name, words in _word_groups().items() if not message.key_set.isdisjoint(words)}


def _cue_beside_values(message: Message, said: set[str]) -> str | None:
    """The cues for a message without values; with values, the few that survive them, unless a value is being set."""
    if not message.kinds & VALUES:
        return _first_cue(_WITHOUT_VALUES, message, said)
    if _sets_a_value(message):
        return None
    return _first_cue(_WITH_VALUES, message, said)


def _sets_a_value(message: Message) -> bool:
    """A price, size or count, or a colour or material with the field it fills ("rang laal karo")."""
    return bool(message.kinds & HARD_VALUES or message.kinds & {"colour", "material"} and message.field)


def _first_cue(cues: tuple[Cue, ...], message: Message, said: set[str]) -> str | None:
    """The intent of the first cue that holds."""
    return next((c.intent for c in cues if c.said <= said and c.holds(message, said)), None)
