"""Looking at the tokens around a number, and the entity dicts that span tokens.

The readers of numbers, prices, sizes and counts ask "what is the token just after (or before) this one?" all the
time, often at a position past either end of the message. These look-ups answer None (or False) there, so a rule
reads as what it checks, without a bounds test in front of every comparison.
"""
from .tokens import Token


def key_at(toks: list[Token], pos: int) -> str | None:
    """The key of token `pos`, or None outside the message (a negative `pos` is outside too, not from the end)."""
    return toks[pos].key if 0 <= pos < len(toks) else None


def word_at(toks: list[Token], pos: int) -> str | None:
    """The key of token `pos` if it is a word (not digits or a symbol), else None."""
    return toks[pos].key if kind_at(toks, pos) == "w" else None


def kind_at(toks: list[Token], pos: int) -> str | None:
    """The kind of token `pos` ("d" digits, "w" word, "p" symbol), or None outside the message."""
    return toks[pos].kind if 0 <= pos < len(toks) else None


def touches_previous(toks: list[Token], pos: int) -> bool:
    """Is token `pos` written onto the one before it, with no space ("5m", "Rs.")?"""
    return toks[pos].start == toks[pos - 1].end


def skip_words(toks: list[Token], pos: int, words) -> int:
    """The first position from `pos` on whose token is not one of `words`."""
    while key_at(toks, pos) in words:
        pos += 1
    return pos


def said_before(toks: list[Token], pos: int, words, reach: int) -> bool:
    """Is one of `words` among the `reach` tokens before token `pos`?"""
    return any(token.key in words for token in toks[max(0, pos - reach):pos])


def span(name: str, value, toks: list[Token], first: int, stop: int, **extra) -> dict:
    """The entity `name` over tokens first..stop-1, with its offsets in the original text."""
    return {"entity": name, "value": value, "start": toks[first].start, "end": toks[stop - 1].end, **extra}


def mark_used(used: list[bool], first: int, stop: int) -> None:
    """Tokens first..stop-1 belong to an entity: the intent classifier and the lexicon leave them alone."""
    used[first:stop] = [True] * (stop - first)


def token_starting_at(toks: list[Token]) -> dict[int, int]:
    """Token positions by the offset where each token starts (an entity's "start")."""
    return {token.start: pos for pos, token in enumerate(toks)}


def token_ending_at(toks: list[Token]) -> dict[int, int]:
    """Token positions by the offset where each token ends (an entity's "end")."""
    return {token.end: pos for pos, token in enumerate(toks)}
