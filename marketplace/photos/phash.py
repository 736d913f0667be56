"""Perceptual hash (dHash) to spot the same photo sent twice, even re-encoded or resized."""
from __future__ import annotations

from collections.abc import Iterable

from PIL import Image

DUPLICATE_DISTANCE = 8  # of 64 bits; re-encodes and resizes land at 0-4, different shots well above 10


def dhash(image: Image.Image) -> str:
    """64-bit difference hash as 16 hex digits: is each cell of a 9x8 grey thumbnail brighter than its right one."""
    small = image.convert("L").resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        cells = small[row * 9:row * 9 + 9]
        for x in range(8):
            bits = (bits << 1) | (cells[x] > cells[x + 1])
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex hashes of the same length."""
    if len(a) != len(b):
        raise ValueError("hashes of different lengths")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def nearest(phash: str, existing: Iterable[str]) -> int | None:
    """Smallest Hamming distance to any well-formed hash in `existing`, or None if there is none."""
    best = None
    for other in existing:
        try:
            d = hamming(phash, other)
        except (ValueError, TypeError):
            continue  # a malformed stored hash is not a duplicate of anything
        best = d if best is None else min(best, d)
    return best
