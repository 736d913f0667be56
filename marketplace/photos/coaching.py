"""Which coaching message a photo verdict calls for; the texts live in coaching.yml, never in code."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .result import PhotoResult

CATALOGUE = Path(__file__).with_name("coaching.yml")
KEPT_BEST = "photo_kept_best"  # after two bad retakes, with choose_after_retakes' flag


def message_key(result: PhotoResult) -> str | None:
    """photo_<reason> for retake/reject, photo_<reason>_tip for an accepted photo with a tip, None when ok."""
    if result.verdict == "ok" or result.reason is None:
        return None
    return f"photo_{result.reason}_tip" if result.verdict == "tip" else f"photo_{result.reason}"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All coaching texts: key -> {"hi": ..., "en": ...}."""
    with CATALOGUE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def coaching_text(result: PhotoResult, language: str = "hi") -> str | None:
    """The text to send for this result in `language` ("hi" or "en"), or None when nothing needs saying."""
    key = message_key(result)
    return catalogue()[key][language] if key else None
