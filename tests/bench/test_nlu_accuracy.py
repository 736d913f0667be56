"""bench/nlu.py's accuracy mode: it runs on a labelled corpus and maps nlu's output to the corpus's labels. On the
shared development corpus (when present) it must stay at today's level less a margin; no speed assertions."""
from __future__ import annotations

import json

import pytest

from tests.bench.services import bench_script

bench = bench_script("nlu")

LINES = [
    {"text": "तिल्ला जूती काली, 400 रुपये जोड़ी, 20 जोड़ी हैं", "intent": "inform", "script": "deva",
     "entities": {"product_en": "jutti", "colours_en": ["black"], "price": 400, "per": "pair", "quantity": 20}},
    {"text": "do darjan", "intent": "inform", "script": "roman", "entities": {"quantity": 2, "per": "dozen"}},
    {"text": "6x4 feet", "intent": "inform", "script": "roman",
     "entities": {"size": {"length": 6, "width": 4, "unit": "foot"}}},
    {"text": "ढाई मीटर", "intent": "inform", "script": "deva", "entities": {"size": {"length": 2.5, "unit": "metre"}}},
    {"text": "50 meter kapda h", "intent": "inform", "script": "roman", "entities": {"quantity": 50, "per": "metre"}},
    {"text": "ek number ka maal", "intent": "inform", "script": "roman", "entities": {}},
    {"text": "dedh hazaar", "intent": "inform", "script": "roman", "entities": {"number": 1500}},
    {"text": "Rs. 350 each", "intent": "inform", "script": "en", "entities": {"price": 350, "per": "piece"}},
    {"text": "120 rupay kilo", "intent": "inform", "script": "mixed", "entities": {"price": 120, "per": "kg"}},
]


def test_accuracy_on_a_small_corpus(tmp_path, capsys):
    path = tmp_path / "u.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in LINES) + "\n", encoding="utf-8")
    acc = bench.accuracy(path)
    assert acc["messages"] == len(LINES)
    t = acc["table"]
    for key in ("intent", "price", "per", "quantity", "size", "number"):
        right, total = t[f"{key}|all"]
        assert right == total, (key, acc["errors"])
    bench.print_accuracy(acc, errors=True)
    out = capsys.readouterr().out
    assert "| price |" in out and "| inform |" in out


def test_a_number_found_where_there_is_none_is_a_miss(tmp_path):
    path = tmp_path / "u.jsonl"
    path.write_text(json.dumps({"text": "500 rupay", "intent": "inform", "script": "roman", "entities": {}}) + "\n",
                    encoding="utf-8")
    acc = bench.accuracy(path)
    assert acc["table"]["price|all"] == [0, 1]
    assert acc["errors"][0]["misses"] == ["price None -> 500"]


FLOORS = {"price": 0.95, "per": 0.93, "quantity": 0.90, "size": 0.95, "number": 0.75, "intent": 0.75}


@pytest.mark.skipif(not bench.CORPUS.exists(), reason="the shared development corpus is not here")
def test_shared_corpus_stays_at_todays_level():
    acc = bench.accuracy(bench.CORPUS)
    assert acc["messages"] >= 900
    low = {}
    for key, floor in FLOORS.items():
        right, total = acc["table"][f"{key}|all"]
        if right / total < floor:
            low[key] = f"{right}/{total}"
    assert not low, low
