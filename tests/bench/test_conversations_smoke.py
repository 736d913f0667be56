"""A bounded run of bench/conversations.py: four artisan profiles written like the corpus's (one Devanagari, one
Roman Hindi, one opening with the product's facts, one with a help event) through the same driver, on the embedded
stack. Asserts the driver completes and produces its figures, and that a plain Devanagari profile yields the right
listing; no accuracy thresholds for the rest (those belong to bench/RESULTS.md)."""
from __future__ import annotations

import yaml

from tests.bench.services import bench_script

PROFILES = [
    {"id": "deva_901_panipat_durrie", "from": "+919000009901", "script": "deva", "opening": "नमस्ते जी",
     "answers": {"consent": "जी हाँ", "name": "सुनीता देवी", "district": "पानीपत", "craft": "दरी बुनाई",
                 "photos": 2, "product": "पंजा दरी", "material": "सूती", "colour": "लाल और नीली",
                 "size": "6 बाई 4 फीट", "price": "₹1,200", "quantity": "दस",
                 "description": "हाथ की बुनाई है", "confirm": "हाँ सही है"},
     "expect": {"product_en": ["panja durrie", "durrie"], "material_en": "cotton", "colours_en": ["red", "blue"],
                "size": {"length": 6, "width": 4, "unit": "foot"}, "price": 1200, "per": "piece",
                "quantity": 10, "photos": 2}},
    {"id": "roman_902_sirsa_khes", "from": "+919000009902", "script": "roman", "opening": "hlo ji",
     "answers": {"consent": "ha ji", "name": "kamlesh", "district": "sirsa", "craft": "khes bunai", "photos": 2,
                 "product": "khes", "material": "sooti", "colour": "laal neela", "size": "7 by 4 feet",
                 "price": "900 ka ek", "quantity": "4", "description": "ghar ki khaddi pe bana h",
                 "confirm": "ha sahi h"},
     "expect": {"product_en": ["khes"], "material_en": "cotton", "colours_en": ["red", "blue"],
                "size": {"length": 7, "width": 4, "unit": "foot"}, "price": 900, "per": "piece", "quantity": 4,
                "photos": 2}},
    {"id": "open_903_panipat_durrie", "from": "+919000009903", "script": "roman",
     "opening": "3 dari h suti 5x3 feet ki, 1500 ki ek",
     "opening_fills": ["product", "quantity", "material", "size", "price"],
     "answers": {"consent": "ha", "name": "Rehana", "district": "panipat", "craft": "dari bunai", "photos": 1,
                 "product": "dari", "material": "suti", "colour": "safed kala", "size": "5x3 feet",
                 "price": "1500", "quantity": "3", "description": "haath ka kaam h", "confirm": "ha thik h"},
     "expect": {"product_en": ["durrie"], "material_en": "cotton", "colours_en": ["white", "black"],
                "size": {"length": 5, "width": 3, "unit": "foot"}, "price": 1500, "per": "piece", "quantity": 3,
                "photos": 1}},
    {"id": "ev_904_panipat_durrie_help_price", "from": "+919000009904", "script": "deva",
     "answers": {"consent": "हाँ", "name": "राजकुमारी", "district": "पानीपत", "craft": "दरी", "photos": 2,
                 "product": "दरी", "material": "सूती", "colour": "नीली सफेद", "size": "5 बाई 7 फुट",
                 "price": "बारह सौ रुपये", "quantity": "8", "description": "घर पर बुनी है", "confirm": "हां जी सही"},
     "events": [{"at_step": "price", "say": "कीमत में क्या लिखूं? समझ नहीं आया"}],
     "expect": {"product_en": ["durrie"], "material_en": "cotton", "colours_en": ["blue", "white"],
                "size": {"length": 5, "width": 7, "unit": "foot"}, "price": 1200, "per": "piece", "quantity": 8,
                "photos": 2}},
]


def test_four_profiles_run_to_the_end_and_give_figures():
    bench = bench_script("conversations")
    results = bench.run(PROFILES)
    assert [r["id"] for r in results] == [p["id"] for p in PROFILES]
    for r in results:
        assert r["error"] is None, r["error"]
        assert 1 <= r["turns"] <= bench.MAX_TURNS
        assert r["transcript"] and all("sent" in t and "replies" in t for t in r["transcript"])
        assert r["listing"] is not None or r["stuck"] or r["human"], "a run ends with a listing, stuck or handed over"
    deva = results[0]
    assert deva["listing"] is not None, deva["stuck"]
    assert deva["correct"], deva["fields"]
    assert deva["got"]["photos"] == 2  # the album of two distinct images, both kept
    assert results[3]["events"] and results[3]["events"][0]["type"] == "help"
    assert results[2]["opening_fills"] and isinstance(results[2]["reasked_opening"], list)

    summary = bench.summarise(results)
    for kind in ("deva", "roman", "open", "ev", "overall"):
        assert summary[kind]["profiles"] == (4 if kind == "overall" else 1)
        assert set(summary[kind]["fields"]) == set(bench.FIELDS)
    assert summary["overall"]["correct"] >= 1
    assert summary["overall"]["median_turns"] is not None
    text = bench.table(summary)
    assert text.count("\n") == 6 and "| **overall** | 4 |" in text


def test_the_command_prints_the_table_and_writes_failures(tmp_path, capsys):
    bench = bench_script("conversations")
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(yaml.safe_dump(PROFILES[:1] + [dict(PROFILES[1], answers=dict(
        PROFILES[1]["answers"], price="ek sau das ka, nahi nahi"))], allow_unicode=True), encoding="utf-8")
    failures = tmp_path / "failures.txt"
    assert bench.main(["--corpus", str(corpus), "--failures", str(failures)]) == 0
    out = capsys.readouterr().out
    assert "| kind | profiles | correct |" in out and "| **overall** | 2 |" in out
    assert "CPU calibration" in out and "load" in out
    assert failures.exists() and failures.read_text(encoding="utf-8").startswith("# bench/conversations.py failures")
