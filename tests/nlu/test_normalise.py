"""Normalisation and the parse contract: offsets into the original text, JSON, never raising."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import nlu
from nlu.normalise import key, normalise
from tests.support.fuzz import examples

ROOT = Path(__file__).resolve().parents[2]

SAME_KEY = [
    ("पाँच", "पांच"), ("हज़ार", "हजार"), ("\u0939\u091c\u093c\u093e\u0930", "\u0939\u095b\u093e\u0930"),
    ("सफ़ेद", "सफेद"), ("फ़ीट", "फीट"), ("पन्द्रह", "पंद्रह"), ("कम्बल", "कंबल"), ("ताँबा", "तांबा"),
    ("गुड़िया", "गुडिया"), ("paanch", "panch"), ("kapaas", "kapas"), ("laal", "lal"), ("neela", "nila"),
    ("PAANCH", "panch"), ("dhanyawad", "dhanyavad"), ("फूलकारी", "फुलकारी"),
]


@pytest.mark.parametrize("a,b", SAME_KEY)
def test_spellings_share_a_key(a, b):
    fold = lambda w: key(normalise(w)[0])
    assert fold(a) == fold(b)


@pytest.mark.parametrize("text,folded", [
    ("५००", "500"), ("१२३४५६७८९०", "1234567890"), ("दरी\u200d", "दरी"), ("\ufeffहाँ", "हां"),
    ("ज़\u200cरी", "जरी"), ("Rs.500", "rs.500"), ("👍\ufe0f", "👍"), ("६×४", "6x4"),
])
def test_normalise(text, folded):
    assert normalise(text)[0] == folded


OFFSETS = [
    ("\u200bसाढ़े तीन सौ रुपये", "amount_of_money", "साढ़े तीन सौ रुपये"),
    ("कीमत ५०० रुपये है", "amount_of_money", "५०० रुपये"),
    ("मेरी नीली\u200c दरी", "product", "दरी"),
    ("\u0915\u0940\u092e\u0924 \u0967\u0968\u0966\u0966/-", "amount_of_money", "\u0967\u0968\u0966\u0966/-"),
    ("हज़ार रुपये", "amount_of_money", "हज़ार रुपये"),
    ("ह\u095bार रुपये", "amount_of_money", "ह\u095bार रुपये"),
    ("👍 लाल दरी", "colour", "लाल"), ("size: 6 x 4 ft.", "dimensions", "6 x 4 ft"),
    ("Gurgaon se hu", "district", "Gurgaon"), ("रंग-बिरंगी दरी", "colour", "रंग-बिरंगी"),
    ("गहरी नीली चादर", "colour", "गहरी नीली"), ("5वां", "ordinal", "5वां"),
]


@pytest.mark.parametrize("text,entity,covered", OFFSETS)
def test_offsets_point_into_the_original_text(text, entity, covered):
    (e,) = [e for e in nlu.parse(text)["entities"] if e["entity"] == entity]
    assert text[e["start"]:e["end"]] == covered


def test_text_is_returned_unchanged():
    text = "\u200bहाँ\u095b"
    assert nlu.parse(text)["text"] == text


@pytest.mark.parametrize("text", [None, 5, "", " ", "\n", "\x00", "\ud800", "�", "।।", "॥",
                                  "a" * 5000, "५" * 400, "1," * 300, "सवा " * 200, "x" * 3])
def test_never_raises_on_odd_input(text):
    p = nlu.parse(text)
    json.dumps(p, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert set(p) >= {"text", "intent", "entities"}


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_any_unicode_parses_with_valid_offsets(text):
    p = nlu.parse(text)
    assert p["text"] == text
    assert isinstance(p["intent"]["name"], str) and 0 <= p["intent"]["confidence"] <= 1
    for e in p["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(text)
    json.dumps(p, ensure_ascii=False)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(["साढ़े", "तीन", "सौ", "रुपये", "₹", "5", "1,200", "बाई", "x", "फीट", "दरी",
                                 "नीली", "do", "ek", "हाँ", "नहीं", "/", "-", "का", "एक", "k", "२", " ", ".",
                                 "\u200d", "प्रति", "मीटर", "लंबाई", "पैसे"]), max_size=12))
def test_hindi_shaped_noise_parses_with_valid_offsets(parts):
    text = " ".join(parts)
    for e in nlu.parse(text)["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(text)


def _cli(*args, stdin=None):
    out = subprocess.run([sys.executable, "-m", "nlu", *args], input=stdin, capture_output=True,
                         text=True, encoding="utf-8", cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_cli_prints_one_json_object():
    p = json.loads(_cli("साढ़े तीन सौ रुपये"))
    (e,) = p["entities"]
    assert (e["entity"], e["value"], e["start"], e["end"]) == ("amount_of_money", 350, 0, 18)


def test_cli_reads_lines_from_stdin():
    lines = _cli(stdin="हाँ\n500 रुपये\n\nलाल दरी\n").splitlines()
    assert [json.loads(x)["intent"]["name"] for x in lines] == ["affirm", "inform", "inform", "inform"]
    assert "रुपये" in lines[1]  # ensure_ascii=False
