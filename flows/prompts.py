"""The prompt catalogue: every text the bot says, loaded from `prompts/<lang>.yml`."""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent / "prompts"
COACHING = Path(__file__).parent.parent / "marketplace" / "photos" / "coaching.yml"
LANGUAGES = ("hi", "en")


class MissingPrompt(KeyError):
    """A prompt key or one of its variables is missing: a bug, never shown to an artisan."""


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language; photo coaching texts from marketplace/photos are merged in when present."""
    texts = {**yaml.safe_load((HERE / f"{lang}.yml").read_text(encoding="utf-8")), **_coaching(lang)}
    return {key: str(text).strip() for key, text in texts.items()}


def _coaching(lang: str) -> dict[str, str]:
    """The photo coaching texts ("photo_<reason>") in `lang`, from marketplace/photos/coaching.yml."""
    coaching = (yaml.safe_load(COACHING.read_text(encoding="utf-8")) if COACHING.exists() else None) or {}
    return {key: by_lang[lang] for key, by_lang in coaching.items() if _coaching_text(key, by_lang, lang)}


def _coaching_text(key: str, by_lang, lang: str) -> bool:
    return key.startswith("photo_") and isinstance(by_lang, dict) and bool(by_lang.get(lang))


def has(key: str, lang: str = "hi") -> bool:
    """Whether the catalogue has this key."""
    return key in catalogue(lang)


def variables(key: str, lang: str = "hi") -> set[str]:
    """The `{names}` a text needs."""
    return {name for _, name, _, _ in string.Formatter().parse(catalogue(lang)[key]) if name}


def say(key: str, lang: str = "hi", **vars) -> str:
    """The text for `key` in `lang` with `vars` filled in; a missing key or variable raises MissingPrompt."""
    texts = catalogue(lang if lang in LANGUAGES else "hi")
    if key not in texts:
        raise MissingPrompt(f"no prompt {key!r} in {lang}.yml")
    try:
        return texts[key].format(**vars)
    except KeyError as missing:
        raise MissingPrompt(f"prompt {key!r} needs variable {missing}") from None
