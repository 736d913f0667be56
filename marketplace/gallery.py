"""Which of a listing's photos buyers see, and whether its cover passed the photo check.

The rule: a photo the check asked to retake is shown only while no photo passed. Once one passed, only the
passed photos are shown, in the listing's order, so the cover (the first shown) is always the first photo that
passed. A listing whose photos all failed may still be on the storefront when staff approved it, but no feed
carries it (`cover_passed`).
"""
from __future__ import annotations

from collections.abc import Sequence

PASSED = ("ok", "tip")  # the check's verdicts for a photo that can go out as it is


def passed(photo) -> bool:
    """The photo check accepted this photo (with or without a tip)."""
    return photo.verdict in PASSED


def shown(photos: Sequence) -> list:
    """The photos buyers see, in order: the passed ones if there are any, else all that have files."""
    kept = [photo for photo in photos if (photo.files or {}).get("main")]
    good = [photo for photo in kept if passed(photo)]
    return good or kept


def cover_passed(photos: Sequence) -> bool:
    """The listing's cover (the first photo shown) passed the check: only then may feeds carry it."""
    first = shown(photos)[:1]
    return bool(first) and passed(first[0])
