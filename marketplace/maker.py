"""Who made a listing and what they said about it, as its descriptions say it in Hindi and English.

English pages spell the artisan's name and place in Roman letters; Hindi text agrees with the artisan's gender
when the name tells it (Kaur, Devi / Singh, Kumar) and otherwise says it without gender ("karigar: <name>, <district>"). The
artisan's own words are quoted "in the maker's words"; staff's rewrite of them is not (issue 19 m13)."""
from __future__ import annotations

from marketplace import english
from marketplace.vocabulary import words


def made_by(artisan: dict, place: dict, lang: str, product_gender: str = "f") -> str:
    """Who made it where. `place` is {"district", "state"} in `lang`."""
    said = words(lang)
    name = (artisan.get("name") or "").strip()
    where = ", ".join(p for p in (place["district"], place["state"]) if p)
    if not name:
        return said["made_in"].format(place=where)
    if lang == "en":
        return said["made_by"].format(name=english.name_en(name), place=where)
    gender = english.artisan_gender(name)
    if gender is None:
        near = f"{place['district']} ({place['state']})" if place["district"] else place["state"]
        return said["maker"].format(name=name, place=near)
    return said[f"made_by_{gender}"].format(name=name, place=where, made=said["made"][product_gender])


def own_words(fields: dict, lang: str) -> str:
    """The listing's words: the artisan's as "in the maker's words", staff's rewrite as "about this piece"; in
    English only what was put into English (the rest waits for staff)."""
    found = english.story(fields)
    if found is None:
        return ""
    text = found.text if lang == "hi" else found.english
    label = "in_words" if found.source == english.ARTISAN else "about"
    return words(lang)[label].format(text=text) if text else ""
