"""Replies for SMS: options as a numbered line, texts joined and cut into messages of two UCS-2 parts."""
from __future__ import annotations

LIMIT = 134  # two UCS-2 parts of 67 characters
CUTS = ("\n", ", ", "। ", ". ", "? ")  # where a long text is cut, after the mark (a line end before it)


def texts(texts: list[str], options: list[str]) -> list[str]:
    """As few SMS as fit, each at most two UCS-2 parts, texts on lines of their own; `options` (titles) become
    "1 haan  2 nahin" at the end."""
    if options:
        texts = [*texts[:-1], f"{texts[-1]}\n{numbered(options)}"]
    return _joined(piece for text in texts for piece in fit(text))


def numbered(titles: list[str]) -> str:
    return "  ".join(f"{n} {title}" for n, title in enumerate(titles, 1))


def _joined(pieces) -> list[str]:
    """Pieces put together on lines of one message while they fit."""
    joined: list[str] = []
    for piece in pieces:
        if joined and len(joined[-1]) + 1 + len(piece) <= LIMIT:
            joined[-1] = f"{joined[-1]}\n{piece}"
        else:
            joined.append(piece)
    return joined


def fit(text: str, limit: int = LIMIT) -> list[str]:
    """A text cut into pieces of at most `limit` characters: at line ends, then after a comma or sentence
    end, then at a space."""
    pieces = []
    while len(text) > limit:
        cut = _cut(text[: limit + 1], limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def _cut(head: str, limit: int) -> int:
    """Where to cut `head`: the last line end or mark in its last two thirds, else its last space."""
    cut = max(head.rfind("\n"), *(head.rfind(mark) + 1 for mark in CUTS[1:]))
    if cut <= limit // 3:
        cut = head.rfind(" ")
    return cut if cut > 0 else limit
