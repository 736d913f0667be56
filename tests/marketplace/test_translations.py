"""The artisan-words translator (nlu.translate) on the hand-written statements of translations.yml, and names
spelt in Roman letters. bench/translate.py prints the same figures per kind and per script."""
from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from bench.translate import STATEMENTS, correct
from nlu.translate import gender, translate, transliterate

TABLE = yaml.safe_load(STATEMENTS.read_text(encoding="utf-8"))
KINDS = sorted({row["kind"] for row in TABLE["statements"]})
FLOOR = 0.9  # per kind; the table also names what it gets wrong today (bench/translate.py --errors)


def test_the_table_has_at_least_300_statements_in_both_scripts_and_every_kind():
    rows = TABLE["statements"]
    assert len(rows) >= 300
    assert {row["script"] for row in rows} == {"deva", "roman"}
    assert set(KINDS) == {"making", "duration", "use", "care", "material", "origin", "other"}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_statement_is_translated_right(kind):
    misses = defaultdict(list)
    rows = [row for row in TABLE["statements"] if row["kind"] == kind]
    for row in rows:
        found = translate(row["hindi"])
        if not correct(row, found):
            misses[row["hindi"]] = [found.english, found.untranslated]
    assert len(misses) <= (1 - FLOOR) * len(rows), dict(misses)


def test_what_it_cannot_read_is_left_for_staff_never_guessed():
    for row in TABLE["statements"]:
        if row["en"] is None:
            assert translate(row["hindi"]).untranslated, row["hindi"]


def test_a_clause_it_cannot_read_is_kept_whole_and_the_rest_is_translated():
    found = translate(TABLE["statements"][-1]["hindi"] + ", " + next(
        row["hindi"] for row in TABLE["statements"] if row["en"] is None))
    assert found.status == "partial" and len(found.untranslated) == 1
    assert found.english == TABLE["statements"][-1]["en"][0]


@pytest.mark.parametrize("name", TABLE["names"], ids=[n["en"] for n in TABLE["names"]])
def test_names_are_spelt_as_their_bearers_spell_them(name):
    assert transliterate(name["hindi"]) == name["en"]
    assert gender(name["hindi"]) == name["gender"]
