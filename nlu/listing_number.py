"""The listing a command is about: "2 बिक गया", "2 हटाओ", "2 की कीमत 900 करो", "price of 2 is 900"."""
from .entities import of_kind, start_of, without
from .tokens import Token, words_of
from .word_tables import tables

LISTING_INTENTS = ("sold_out", "withdraw", "edit")  # the commands said about one listing


def listing_entities(intent: str, tokens: list[Token], entities: list[dict]) -> list[dict]:
    """The entities with the listing number the command names, if it names one."""
    if intent == "edit":
        entities = _listing_before_amount(tokens, entities)
    return entities + _listing_number(intent, tokens, entities)


def _listing_before_amount(tokens: list[Token], entities: list[dict]) -> list[dict]:
    """"price of 2 is 900": the amount right after "of" names the listing; the amount after it is the price."""
    numbers = of_kind(entities, "number")
    for amount in sorted(of_kind(entities, "amount_of_money"), key=start_of):
        price = _price_after_listing(tokens, amount, numbers)
        if price is not None:
            return _swapped(entities, amount, price)
    return entities


def _price_after_listing(tokens: list[Token], amount: dict, numbers: list[dict]) -> dict | None:
    """The first number after a whole amount that follows a listing word: the price, the amount being the listing."""
    later = _after(amount, numbers)
    if later and isinstance(amount["value"], int) and _after_listing_word(tokens, amount):
        return later[0]
    return None


def _after(entity: dict, others: list[dict]) -> list[dict]:
    """The entities that start after this one ends."""
    return [e for e in others if e["start"] > entity["end"]]


def _swapped(entities: list[dict], amount: dict, number: dict) -> list[dict]:
    """The amount read as a (listing) number and the number after it as the price."""
    rest = without(entities, [amount, number])
    listing = {"entity": "number", "value": amount["value"], "start": amount["start"], "end": amount["end"]}
    return rest + [listing, {**number, "entity": "amount_of_money", "unit": "INR"}]


def _after_listing_word(tokens: list[Token], entity: dict) -> bool:
    """Is the word right before the entity a listing word ("of", "नंबर", "listing")?"""
    before = [t for t in words_of(tokens) if t.end <= entity["start"]]
    return bool(before) and before[-1].key in tables().words["listing_word"]


def _listing_number(intent: str, tokens: list[Token], entities: list[dict]) -> list[dict]:
    """A listing_number entity for the first whole number the command says of a listing."""
    number = _first_listing_number(intent, tokens, entities) if intent in LISTING_INTENTS else None
    if number is None:
        return []
    return [{"entity": "listing_number", "value": number["value"], "start": number["start"], "end": number["end"]}]


def _first_listing_number(intent: str, tokens: list[Token], entities: list[dict]) -> dict | None:
    """The first number or ordinal, in text order, that can name the listing."""
    named = (e for e in sorted(entities, key=start_of) if _whole_count(e) and _names_listing(intent, tokens, e))
    return next(named, None)


def _whole_count(entity: dict) -> bool:
    """A number or ordinal that is a whole number from 1 up."""
    return entity["entity"] in ("number", "ordinal") and isinstance(entity["value"], int) and entity["value"] >= 1


def _names_listing(intent: str, tokens: list[Token], entity: dict) -> bool:
    """Any such number for sold_out and withdraw; for an edit, one that comes first or after a listing word (an
    edit's other numbers are its new value: "कीमत 900 करो")."""
    return intent != "edit" or _opens_message(tokens, entity) or _after_listing_word(tokens, entity)


def _opens_message(tokens: list[Token], entity: dict) -> bool:
    """Is the entity's first word the message's first word?"""
    words = words_of(tokens)
    return bool(words) and words[0].start == entity["start"]
