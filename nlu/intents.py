"""Intent of a message: command phrases from intents.yml, cue words and a few rules, else `inform`.

The readings are tried surest first: a language choice, the whole message as one command phrase, cue words, and
last a score of the command phrases inside the message against the words its entities took."""
from collections import Counter
from functools import lru_cache

from .intent_cues import cue_intent
from .intent_rules import outweighed, rule_intent
from .message import Message
from .phrases import longest_phrases
from .tokens import Token
from .word_tables import tables

# Confidences: a command is read at 0.5 or more, a clear message at 0.8 or more, gibberish below 0.5
# (tests/nlu/test_intents.py); an exact phrase is surer than anything scored.
WHOLE_PHRASE_CONFIDENCE = 0.97  # the whole message is a command phrase of intents.yml: the surest reading
LANGUAGE_CONFIDENCE = 0.95  # one language word and only words that go with it ("English please")
CUE_CONFIDENCE = 0.9  # words of two kinds agree on a command: as sure as a phrase covering most of a message
QUESTION_MARK_CONFIDENCE = 0.9  # a bare "?" asks for help as plainly as a cue does
NO_WORDS_CONFIDENCE = 0.05  # punctuation only: inform, and next to nothing read
# A scored command: COMMAND_FLOOR with no word covered up to COMMAND_FLOOR + COMMAND_SPAN (0.95) with all covered.
COMMAND_FLOOR, COMMAND_SPAN = 0.5, 0.45
# inform with values: from 0.45 up to 0.95 as entities and neutral words cover the message ("लाल दरी 500 रुपये").
INFORM_FLOOR, INFORM_SPAN = 0.45, 0.5
# inform with no value: at most 0.3, so a message we read nothing in stays below 0.5 ("asdf qwerty").
UNREAD_FLOOR, UNREAD_SPAN = 0.1, 0.2
SCORED_CEILING = 0.96  # a scored reading stays below a whole phrase's 0.97
_RANKED_OTHERS = 3  # other intents listed in the ranking after the chosen one
_LONGEST_PHRASE = 5  # longest command phrase looked for inside a message; longer ones count as the whole message

# Which intent wins when two cover the same number of words.
PRIORITY = ("language", "delete_my_data", "withdraw", "edit", "sold_out", "stop", "cancel", "human", "restart",
            "help", "back", "skip", "deny", "done", "affirm", "my_listings", "new_listing",
            "thanks", "greet")
_RANK = {name: i for i, name in enumerate(PRIORITY)}
_UNRANKED = len(PRIORITY)  # an intent PRIORITY does not list comes after every one it does
_LANGUAGE_MOST_WORDS = 8  # in a longer message a language word is about something else ("English medium school")


def classify(tokens: list[Token], keys: list[str], used: list[bool],
             kinds: set[str] = frozenset()) -> tuple[str, float, list[dict], list]:
    """(intent, confidence, extra entities, ranking) for a tokenized message; `kinds`: entity names found."""
    message = Message(tokens, keys, used, kinds)
    if not message.positions:
        return _no_words(tokens)
    return _language_choice(message) or _whole_phrase(message) or _cued(message) or _scored(message)


def _reading(intent: str, confidence: float, extra: list[dict]) -> tuple[str, float, list[dict], list]:
    """A reading sure enough to rank nothing else."""
    return intent, confidence, extra, [{"name": intent, "confidence": confidence}]


def _no_words(tokens: list[Token]) -> tuple:
    """A message of punctuation only: a "?" asks for help; anything else is an empty inform."""
    if any(t.key == "?" for t in tokens):
        return "help", QUESTION_MARK_CONFIDENCE, [], []
    return "inform", NO_WORDS_CONFIDENCE, [], []


def _language_choice(message: Message) -> tuple | None:
    """"English please", "angrezi mein", "हिंदी में बात करें": the language to talk in."""
    language = _language(message)
    return _reading("language", LANGUAGE_CONFIDENCE, [language]) if language else None


def _language(message: Message) -> dict | None:
    """The language entity of a message that is one language word and words that go with it."""
    said = _language_words(message)
    if len(said) != 1 or len(message) > _LANGUAGE_MOST_WORDS or not _only_language_context(message, said[0]):
        return None
    token = message.tokens[said[0]]
    return {"entity": "language", "value": _language_of(message.keys[said[0]]), "start": token.start, "end": token.end}


def _language_words(message: Message) -> list[int]:
    """Positions of the words that name a language."""
    return [i for i in message.positions if _language_of(message.keys[i])]


def _language_of(word: str) -> str | None:
    """"en" for a word that names English, "hi" for one that names Hindi, else None."""
    lookups = tables().words
    if word in lookups["language_en"]:
        return "en"
    return "hi" if word in lookups["language_hi"] else None


def _only_language_context(message: Message, language_word: int) -> bool:
    """Every other word goes with a language choice ("mein", "baat", "please") and no entity took it."""
    lookups = tables().words
    fits = lookups["language_context"] | lookups["filler"] | lookups["function_word"]
    return all(message.keys[i] in fits and not message.used[i] for i in message.positions if i != language_word)


def _whole_phrase(message: Message) -> tuple | None:
    """The whole message, with or without filler words, is one command phrase and no entity took a word of it."""
    if message.used_words:
        return None
    intent = command_phrase(tuple(message.word_keys))
    return _reading(intent, WHOLE_PHRASE_CONFIDENCE, message.field_entity(intent)) if intent else None


def command_phrase(words: tuple[str, ...]) -> str | None:
    """The intent whose command phrase the words are, as they are or without filler words ("ji", "please")."""
    phrases = tables().intent_phrases
    return phrases.get(words) or phrases.get(_without_filler(words))


def _without_filler(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words without fillers; all of them when they are all fillers."""
    filler = tables().words["filler"]
    return tuple(word for word in words if word not in filler) or words


def _cued(message: Message) -> tuple | None:
    """A command said in other words (intent_cues.py)."""
    intent = cue_intent(message)
    return _reading(intent, CUE_CONFIDENCE, message.field_entity(intent)) if intent else None


def _scored(message: Message) -> tuple:
    """The intent whose command phrases cover most words, unless entities or other words outweigh it, or a rule's."""
    cover = _phrases(message)
    counts = Counter(cover.values())  # words each intent's phrases cover, in the order the intents first appear
    neutral = _neutral()
    ruled = rule_intent(message)
    if ruled:
        counts[ruled] = max(counts.values(), default=0) + 1  # a rule beats every phrase
        confidence = _command_confidence(message, counts[ruled] + message.used_words, cover, neutral)
        return _ranked(message, ruled, counts, confidence, message.field_entity(ruled))
    intent = _phrase_winner(message, cover, counts)
    if intent == "inform" or outweighed(intent, message, cover, neutral):
        return _ranked(message, "inform", counts, _inform_confidence(message, cover, neutral), [])
    return _ranked(message, intent, counts, _command_confidence(message, counts[intent], cover, neutral), [])


@lru_cache(maxsize=1)
def _neutral() -> frozenset[str]:
    """Function words and fillers: they fit any reading."""
    return frozenset(tables().words["function_word"] | tables().words["filler"])


def _phrases(message: Message) -> dict[int, str]:
    """Longest intent phrases over words not used by entities: {token index: intent}."""
    keys, free = message.word_keys, [not message.used[i] for i in message.positions]
    cover = {}
    for first, end, intent in longest_phrases(keys, free, tables().intent_phrases, _LONGEST_PHRASE):
        if not _hi_meaning_only(intent, keys, first, end):
            cover.update(dict.fromkeys(message.positions[first:end], intent))
    return cover


def _hi_meaning_only(intent: str, keys: list[str], first: int, end: int) -> bool:
    """"ek hi hai": a Roman "hi" after another word is "only", not a greeting."""
    return intent == "greet" and first > 0 and keys[first:end] == ["hi"]


def _phrase_winner(message: Message, cover: dict[int, str], counts: dict[str, int]) -> str:
    """The intent covering most words (PRIORITY breaks ties), if it covers no fewer than the entities; else inform."""
    if not counts or max(counts.values()) < message.used_words:
        return "inform"
    intent = _most_covering(counts)
    if intent == "thanks" and _greeting_with_folded_hands(message, cover, counts):
        return "greet"
    return intent


def _most_covering(counts: dict[str, int]) -> str:
    """The intent that covers most words; of those that cover as many, the first in PRIORITY."""
    return min(counts, key=lambda name: (-counts[name], _RANK.get(name, _UNRANKED)))


def _greeting_with_folded_hands(message: Message, cover: dict[int, str], counts: dict[str, int]) -> bool:
    """"hii 🙏", "राम राम 🙏": folded hands as much as a greeting, and they are all the thanks there is."""
    only_hands = all(message.keys[i] == "🙏" for i, intent in cover.items() if intent == "thanks")
    return counts.get("greet") == counts["thanks"] and only_hands


def _neutral_words(message: Message, cover: dict[int, str], neutral: set[str]) -> int:
    """Function words and fillers outside entities and command phrases: they fit any reading."""
    return sum(1 for word in message.outside(cover) if word in neutral)


def _command_confidence(message: Message, covered: int, cover: dict[int, str], neutral: set[str]) -> float:
    """A command's confidence by the share of words its phrases (or rule), and neutral words, cover."""
    covered = min(len(message), covered + _neutral_words(message, cover, neutral))
    return COMMAND_FLOOR + COMMAND_SPAN * covered / len(message)


def _inform_confidence(message: Message, cover: dict[int, str], neutral: set[str]) -> float:
    """inform's confidence: high when entities cover the message, low when nothing in it was read."""
    neutral_words = _neutral_words(message, cover, neutral)
    if message.used_words:
        return INFORM_FLOOR + INFORM_SPAN * (message.used_words + neutral_words) / len(message)
    return UNREAD_FLOOR + UNREAD_SPAN * neutral_words / len(message)


def _ranked(message: Message, intent: str, counts: dict[str, int], confidence: float, extra: list[dict]) -> tuple:
    """The reading with the chosen intent first in the ranking, then the best others by the words they cover."""
    others = sorted(({"name": name, "confidence": round(COMMAND_FLOOR + COMMAND_SPAN * count / len(message), 3)}
                     for name, count in counts.items() if name != intent), key=lambda r: -r["confidence"])
    chosen = {"name": intent, "confidence": round(confidence, 3)}
    return intent, round(min(confidence, SCORED_CEILING), 3), extra, [chosen] + others[:_RANKED_OTHERS]
