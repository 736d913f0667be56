"""A tokenized message as the intent readers see it: its words, their keys, and what the entities took."""
from .tokens import Token
from .word_tables import tables

# Symbols that are no word for intent reading; an emoji ("🙏", "👍") counts as a word.
PUNCTUATION = frozenset(".,!।॥:;-'\"()[]{}…~_|/\\?")


class Message:
    """The words of a message (no punctuation) with their keys, the entities' tokens and the field it names."""

    def __init__(self, tokens: list[Token], keys: list[str], used: list[bool], kinds: set[str]):
        self.tokens, self.keys, self.used, self.kinds = tokens, keys, used, kinds
        self.positions = word_positions(tokens)
        self.word_keys = [keys[i] for i in self.positions]
        self.key_set = set(self.word_keys)
        self.used_words = sum(used[i] for i in self.positions)  # words an entity took
        self.field = _first_field(self)

    def __len__(self) -> int:
        """Number of words."""
        return len(self.positions)

    def says(self, lookup: str) -> bool:
        """Is a word of the message in this lookup of intents.yml?"""
        return not self.key_set.isdisjoint(tables().words[lookup])

    def outside(self, cover: dict[int, str]) -> list[str]:
        """Keys of the words that neither an entity nor a command phrase (`cover`) took."""
        return [self.keys[i] for i in self.positions if i not in cover and not self.used[i]]

    def field_entity(self, intent: str) -> list[dict]:
        """An edit's field ("कीमत" -> price) as an extra entity; nothing for another intent."""
        return [self.field] if intent == "edit" and self.field else []


def word_positions(tokens: list[Token]) -> list[int]:
    """Indices of the tokens that are words, digits or emoji: no punctuation."""
    return [i for i, t in enumerate(tokens) if t.kind != "p" or t.key not in PUNCTUATION]


def _first_field(message: Message) -> dict | None:
    """The first listing field the message names, as an entity ("कीमत" -> price)."""
    fields = tables().field
    found = next((i for i in message.positions if message.keys[i] in fields), None)
    if found is None:
        return None
    token = message.tokens[found]
    return {"entity": "field", "value": fields[message.keys[found]], "start": token.start, "end": token.end}
