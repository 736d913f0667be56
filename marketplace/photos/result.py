"""The outcome of processing one photo, and the rule for choosing among retakes."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

VERDICTS = ("ok", "tip", "retake", "reject")
QUALITY_REASONS = ("too_small", "blurry", "dark", "bright", "product_small", "empty", "duplicate", "screenshot")
REJECT_REASONS = ("not_image", "animated", "too_large", "truncated", "bomb", "unsupported")
REASONS = QUALITY_REASONS + REJECT_REASONS


@dataclass(frozen=True)
class PhotoResult:
    """Verdict, reasons, facts and stored derivatives of one photo; plain data, safe to serialise."""

    verdict: str  # "ok" | "tip" | "retake" | "reject"
    reason: str | None  # main reason code (None when ok)
    tips: tuple[str, ...] = ()  # other reason codes found, most important first
    width: int = 0  # of the source after EXIF orientation; 0 when rejected
    height: int = 0
    phash: str = ""  # 16 hex digits (dHash), "" when rejected
    sha256: str = ""  # of the input bytes
    quality: float = 0.0  # 0..1, for choosing the best of several attempts
    derivatives: dict = field(default_factory=dict)  # name -> {"key", "url", "width", "height", "content_type"}

    @property
    def accepted(self) -> bool:
        """True when the photo can go into the draft as it is."""
        return self.verdict in ("ok", "tip")


def choose_after_retakes(results: Sequence[PhotoResult]) -> tuple[PhotoResult | None, bool]:
    """Best attempt by quality (non-duplicates first) and whether the helpdesk should look at it.

    Used after the second bad retake: the flow keeps the best photo instead of asking forever. The flag is
    True when even the best one was not acceptable, or when nothing usable arrived (best is then None).
    """
    usable = [r for r in results if r.verdict != "reject" and r.derivatives]
    if not usable:
        return None, True
    # max() keeps the first of equals, so reverse to prefer the latest attempt on a tie
    best = max(reversed(usable), key=lambda r: (r.reason != "duplicate", r.quality))
    return best, not best.accepted
