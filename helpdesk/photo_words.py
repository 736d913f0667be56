"""A photo's check result in words staff read at a glance ("retake: too dark"), for cards and the transcript."""
from __future__ import annotations

from marketplace.gallery import PASSED

REASONS = {
    "too_small": "too small", "blurry": "blurry", "dark": "too dark", "bright": "too bright",
    "product_small": "product too small in the frame", "empty": "no product in view",
    "duplicate": "same as an earlier photo", "screenshot": "a screenshot", "not_image": "not a photo",
    "animated": "a moving picture", "too_large": "file too big", "truncated": "arrived cut off",
    "bomb": "cannot be opened", "unsupported": "cannot be opened",
}


def reason_words(reason: str | None) -> str:
    """The check's reason code in plain English ("dark" → "too dark")."""
    return REASONS.get(reason or "", (reason or "").replace("_", " "))


def verdict_words(verdict: str | None, reason: str | None) -> str:
    """"ok", "ok (tip: too dark)", "retake: blurry" or "rejected: file too big"."""
    if verdict in PASSED:
        return f"ok (tip: {reason_words(reason)})" if reason else "ok"
    word = "retake" if verdict == "retake" else "rejected"
    return f"{word}: {reason_words(reason)}" if reason else word


def not_kept_words(verdict: str | None, reason: str | None) -> str:
    """A photo whose files are gone (discarded, or never stored): what it was and that it was not kept."""
    if reason == "too_large":
        return "file too big, not kept"
    return f"photo {reason_words(reason)}, not kept" if reason else "photo not kept"
