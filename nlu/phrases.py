"""Longest-match lookup of word phrases in a table, left to right (lexicon values, command phrases)."""


def longest_phrases(keys: list[str], free: list[bool], table: dict, longest: int) -> list[tuple[int, int, object]]:
    """(first, end, value) for the longest phrase of `table`, at most `longest` words, at each free position.

    A phrase uses only free words; after a phrase the search goes on at its end, else at the next word."""
    found, start = [], 0
    while start < len(keys):
        end, value = _longest_at(keys, free, table, longest, start)
        if value:
            found.append((start, end, value))
            start = end
        else:
            start += 1
    return found


def _longest_at(keys: list[str], free: list[bool], table: dict, longest: int, start: int) -> tuple[int, object]:
    """(end, value) of the longest free phrase of `table` that starts at `start`, else (start, None)."""
    for end in range(min(start + longest, len(keys)), start, -1):
        value = table.get(tuple(keys[start:end])) if all(free[start:end]) else None
        if value:
            return end, value
    return start, None
