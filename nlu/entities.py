"""Entity dicts as parse() returns them: built over tokens, picked by kind, dropped by identity."""
from .tokens import Token


def span_entity(name: str, value, tokens: list[Token], first: int, end: int, **extra) -> dict:
    """An entity over tokens[first:end], with offsets into the original text."""
    return {"entity": name, "value": value, "start": tokens[first].start, "end": tokens[end - 1].end, **extra}


def of_kind(entities: list[dict], *kinds: str) -> list[dict]:
    """The entities of these kinds, in order."""
    return [e for e in entities if e["entity"] in kinds]


def without(entities: list[dict], dropped: list[dict]) -> list[dict]:
    """The entities but the very dicts in `dropped` (an equal dict elsewhere stays)."""
    dropped_ids = set(map(id, dropped))
    return [e for e in entities if id(e) not in dropped_ids]


def replaced(entities: list[dict], old: dict, new: dict) -> list[dict]:
    """The entities with the very dict `old` replaced by `new`."""
    return [new if e is old else e for e in entities]


def kinds_of(entities: list[dict]) -> set[str]:
    """The kinds of entity found ("amount_of_money", "colour"...)."""
    return {e["entity"] for e in entities}


def start_of(entity: dict) -> int:
    """Where an entity starts in the text (a sort key)."""
    return entity["start"]


def span_of(entity: dict) -> tuple[int, int]:
    """(start, end) of an entity in the text."""
    return entity["start"], entity["end"]
