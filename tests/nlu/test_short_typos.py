"""A short product or material word with a vowel left out is understood, only when that is unambiguous (m4)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu import parse

CASES = yaml.safe_load((Path(__file__).parent / "short_typos.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["corrected"], ids=[case["said"] for case in CASES["corrected"]])
def test_a_short_typo_is_read_as_the_word(case):
    found = [(e["entity"], e.get("value_en")) for e in parse(case["said"])["entities"]]
    assert (case["entity"], case["value_en"]) in found, found


@pytest.mark.parametrize("word", CASES["left_alone"])
def test_other_short_words_are_not_taken_for_products_or_materials(word):
    found = [e for e in parse(word)["entities"] if e["entity"] in ("product", "material")]
    assert found == [], found
