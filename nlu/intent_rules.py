"""Rules over the words of a message: intents that need two kinds of word (edit a field, delete data, withdraw a
listing), and when a command word is outweighed by the rest of the message."""
from .intent_cues import VALUES
from .message import Message

# The entities that give each field its value: "कीमत 1500" gives the price, "रंग नीला" the colour.
_VALUE_OF = {"price": {"amount_of_money"}, "quantity": {"quantity"}, "size": {"dimensions", "quantity"},
             "colour": {"colour"}, "material": {"material"}, "product": {"product"}, "district": {"district"},
             "craft": {"craft"}}
_NUMBERED_FIELDS = ("price", "quantity")  # "price of 2 is 900": the fields a listing number is said with


def rule_intent(message: Message) -> str | None:
    """delete_my_data or withdraw for a delete verb, edit for a change of a field, else None."""
    if message.says("delete_verb"):
        return "delete_my_data" if message.says("data_word") else "withdraw"
    return "edit" if _edits(message) else None


def _edits(message: Message) -> bool:
    """Does any edit rule hold?"""
    return any(rule(message) for rule in _EDIT_RULES)


def _changes_named_field(message: Message) -> bool:
    """A field with a change: "कीमत बदलो", "rang galat hai", "कीमत 900 कर दो", "price of 2 is 900"."""
    if not message.field:
        return False
    return message.says("edit_verb") or message.says("wrong_word") or message.used_words > 0 and _sets_it(message)


def _sets_it(message: Message) -> bool:
    """A verb that sets the value ("कर दो"), or "of" between a price or quantity and its listing."""
    return message.says("set_verb") or "of" in message.key_set and message.field["value"] in _NUMBERED_FIELDS


def _gives_field_its_value(message: Message) -> bool:
    """"price 1500" sets; "नहीं, कीमत 1500 है" corrects; "इसकी कीमत 500 रुपये है" describes."""
    if not _value_for_field(message):
        return False
    return message.field["value"] == "price" and not message.says("possessive") or message.says("negation")


def _value_for_field(message: Message) -> bool:
    """A field named with an entity that gives it a value ("कीमत ... 1500 रुपये")."""
    return bool(message.field) and bool(message.kinds & _VALUE_OF.get(message.field["value"], set()))


def _says_change(message: Message) -> bool:
    """"बदलो", "change it": a change verb, not negated ("नहीं बदलना")."""
    return message.says("edit_verb") and not message.says("negation")


_EDIT_RULES = (_changes_named_field, _gives_field_its_value, _says_change)

# --- outweighed commands

_VALUES_OR_NUMBER = VALUES | {"number"}
_ANSWERS_FIRST = ("affirm", "deny", "greet")  # an answer that comes first stands, whatever follows
_SHORT_ANSWERS = ("affirm", "deny")  # a yes or no may come with a whole sentence of reasons
_SENTENCE = 5  # this many free words outside the command make the message a sentence, not the command
_DENY_OTHER_WORDS = 2  # "धोने से रंग नहीं जाता": a "nahi" with two other words is a negative sentence
_OTHER_WORDS = 3  # other commands need three other words, and no fewer than their own


def outweighed(intent: str, message: Message, cover: dict[int, str], neutral: set[str]) -> bool:
    """A command word inside a longer message that is mostly about something else ("bas itna hi kehna hai ki haath
    se bani hai", "made by women of our self help group"), or a no that corrects a value ("लाल नहीं, नीला")."""
    if _corrects_a_value(intent, message):
        return True
    if _answers_first(intent, message, cover):
        return False
    return _in_a_sentence(intent, message, cover) or _other_words_outweigh(intent, message, cover, neutral)


def _corrects_a_value(intent: str, message: Message) -> bool:
    """A no said with a value or number ("लाल नहीं, नीला") corrects the value; it does not answer no."""
    return intent == "deny" and bool(message.kinds & _VALUES_OR_NUMBER)


def _answers_first(intent: str, message: Message, cover: dict[int, str]) -> bool:
    """A yes, no or greeting that opens the message ("haan ji, mera naam Kamla hai")."""
    return intent in _ANSWERS_FIRST and message.positions[0] in cover


def _in_a_sentence(intent: str, message: Message, cover: dict[int, str]) -> bool:
    """Many words that neither the command nor an entity covers (not for a yes or a no)."""
    return intent not in _SHORT_ANSWERS and len(message.outside(cover)) >= _SENTENCE


def _other_words_outweigh(intent: str, message: Message, cover: dict[int, str], neutral: set[str]) -> bool:
    """More meaningful words outside the command than it may carry."""
    other = _other_words(message, cover, neutral)
    if intent == "deny":
        return other >= _DENY_OTHER_WORDS
    return other >= _OTHER_WORDS and other >= list(cover.values()).count(intent)


def _other_words(message: Message, cover: dict[int, str], neutral: set[str]) -> int:
    """Words that neither an entity, a command phrase nor a neutral word accounts for."""
    return sum(1 for word in message.outside(cover) if word not in neutral)
