"""The listing shows what the bot kept: a thread of another material, and a jutti's shoe sizes (issue 19: M4, m3)."""
from __future__ import annotations

from marketplace import builder

DUPATTA = {"product": {"hi": "दुपट्टा", "en": "dupatta"}, "material": {"hi": "खादी", "en": "khadi"},
           "thread": {"hi": "रेशमी", "en": "silk"}, "colour": [{"hi": "गहरा लाल", "en": "dark red"}]}
JUTTI = {"product": {"hi": "जूती", "en": "jutti"}, "material": {"hi": "चमड़ा", "en": "leather"},
         "size": {"kind": "shoe", "system": "UK", "values": [7, 8]}, "price": {"amount": 800, "per": "pair"}}
ARTISAN = {"name": "Gurpreet Kaur", "district": "अंबाला"}


def test_the_thread_is_in_the_listing_in_both_languages():
    built = builder.build(DUPATTA, ARTISAN)
    assert "Material: khadi, with silk thread" in built.description["en"]
    assert "सामग्री: खादी, रेशमी धागे से" in built.description["hi"]


def test_a_shoe_size_is_in_the_listing_and_its_specifics():
    built = builder.build(JUTTI, ARTISAN)
    assert "Size: UK 7, 8" in built.description["en"] and "नाप: UK 7, 8" in built.description["hi"]
    assert built.specifics["Size"] == ["UK 7, 8"]


def test_an_indian_shoe_size_is_named_for_buyers():
    fields = {**JUTTI, "size": {"kind": "shoe", "system": "IN", "values": [7]}}
    assert builder.specifics(fields, ARTISAN)["Size"] == ["India 7"]


def test_the_listing_json_carries_the_shoe_size_for_feeds():
    from marketplace.serialize import _size

    assert _size(JUTTI["size"]) == {"kind": "shoe", "system": "UK", "values": [7, 8]}
    assert _size({"length": 6, "width": 4, "unit": "foot"}) == {"length": 6, "width": 4, "unit": "foot"}
