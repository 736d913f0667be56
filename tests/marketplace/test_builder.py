"""The listing builder: bilingual titles and descriptions from the slots, within every channel's limits."""
from __future__ import annotations

import pytest

from marketplace import builder
from tests.support.shop import CASES


@pytest.mark.parametrize("case", CASES["builder"], ids=[c["name"] for c in CASES["builder"]])
def test_titles_in_hindi_and_english(case):
    built = builder.build(case["fields"], case["artisan"])
    assert built.title == case["title"]
    assert (built.hsn or {}).get("code") == case["hsn"]


@pytest.mark.parametrize("case", CASES["builder"], ids=[c["name"] for c in CASES["builder"]])
def test_every_channel_limit_holds(case):
    for channel, limit in builder.LIMITS.items():
        for lang in ("hi", "en"):
            assert len(builder.title(case["fields"], case["artisan"], lang, limit["title"])) <= limit["title"]
            assert len(builder.description(case["fields"], case["artisan"], lang)) <= limit["description"]
    for name, values in builder.specifics(case["fields"], case["artisan"]).items():
        assert len(name) <= 40 and all(0 < len(v) <= 50 for v in values)


@pytest.mark.parametrize("case", CASES["builder"], ids=[c["name"] for c in CASES["builder"]])
def test_nothing_is_invented(case):
    """No GI claim unless phulkari; no silk, wool or leather unless the artisan said so."""
    built = builder.build(case["fields"], case["artisan"])
    text = " ".join([*built.title.values(), *built.description.values(), str(built.specifics)]).lower()
    assert ("geographical indication" in text) == bool(case.get("gi"))
    said = (case["fields"].get("material") or {}).get("en") or ""
    for material in ("silk", "wool", "leather", "jute"):
        assert (material in text) == (material == said), material


def test_long_titles_are_fitted_to_ebay_by_dropping_detail_not_cutting_words():
    fields = {**CASES["builder"][0]["fields"],
              "colour": [{"hi": "x", "en": c} for c in ("red", "blue", "yellow")],
              "size": {"length": 12.5, "width": 8.25, "unit": "foot"}}
    artisan = {"district": "Charkhi Dadri"}
    full = builder.title(fields, artisan, "en")
    ebay = builder.title(fields, artisan, "en", 80)
    assert len(full) > 80 >= len(ebay)
    assert ebay == "Handwoven red, blue and yellow cotton panja durrie, 12.5 × 8.25 ft"
    assert builder.title(fields, artisan, "en", 40) == "Handwoven cotton panja durrie"


def test_english_description_carries_metric_size_and_only_latin_quotes():
    fields = {**CASES["builder"][0]["fields"], "description": "pakka rang, double weave"}
    text = builder.description(fields, {"name": "Sunita Devi", "district": "Panipat"}, "en")
    assert "Size: 6 × 4 ft (183 × 122 cm)" in text
    assert "In the maker's words: pakka rang, double weave" in text
    assert "Made by hand by Sunita Devi, an artisan from Panipat, Haryana, India." in text


def test_sku_is_alphanumeric_and_short():
    for listing_id in (1, 42, 10**9):
        assert builder.SKU_PATTERN.match(builder.sku(listing_id))
