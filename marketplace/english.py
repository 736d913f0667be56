"""The English of what the artisan (or staff) wrote about a listing, and names in Roman letters.

A listing's fields keep the artisan's own words (`description`) apart from staff's rewrite of them
(`description_staff`, issue 19 m13), and staff's reviewed English (`description_en`: {"text", "for"}, the
English of the text it was written for). Only the artisan's own words are "in the maker's words"."""
from __future__ import annotations

from dataclasses import dataclass

from nlu.translate import gender, translate, transliterate

ARTISAN, STAFF = "artisan", "staff"

__all__ = ["Story", "story", "name_en", "artisan_gender", "transliterate"]


@dataclass(frozen=True)
class Story:
    """What a listing says in words: whose they are, the text, its English, and what is left for staff."""
    source: str  # ARTISAN or STAFF
    text: str
    english: str  # "" when nothing could be put into English
    untranslated: tuple[str, ...]
    reviewed: bool  # staff wrote or checked the English


def _text(value) -> str:
    return " ".join(str(value or "").split())


def story(fields: dict) -> Story | None:
    """The words a listing shows (staff's rewrite over the artisan's), with their English; None without words."""
    staff, own = _text(fields.get("description_staff")), _text(fields.get("description"))
    text = staff or own
    if not text:
        return None
    source = STAFF if staff else ARTISAN
    checked = fields.get("description_en")
    if isinstance(checked, dict) and _text(checked.get("for")) == text and _text(checked.get("text")):
        return Story(source, text, _text(checked["text"]), (), True)
    found = translate(text)
    return Story(source, text, found.english, tuple(found.untranslated), False)


def name_en(name) -> str:
    """A person's or place's name in Roman letters (Gurpreet Kaur, not letter by letter)."""
    return transliterate(_text(name))


def artisan_gender(name) -> str | None:
    """"f"/"m" when the name's ending tells it (Kaur, Devi / Singh, Kumar), else None: say it without gender."""
    return gender(_text(name))
