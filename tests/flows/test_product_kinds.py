"""Questions asked the way the product is measured, photographed and sold (issue 19: M4, m8)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import flows
from flows.types import Retry
from nlu import parse
from tests.support.chat import Chat, said

SHOE_SIZES = yaml.safe_load((Path(__file__).parent / "data" / "shoe_sizes.yml").read_text(encoding="utf-8"))
TO_JUTTI_SIZE = ["नमस्ते", "हाँ", "सुनीता", "हिसार", "जूती बनाना", 2, "बस", "जूती", "चमड़ा", "काली"]
PHULKARI = ["नमस्ते", "हाँ", "गुरप्रीत कौर", "अंबाला", "फुलकारी"]


@pytest.mark.parametrize("case", SHOE_SIZES, ids=[case["said"] for case in SHOE_SIZES])
def test_a_jutti_size_is_kept_as_a_shoe_size(case):
    chat = Chat().say(*TO_JUTTI_SIZE)
    assert said(chat, "ask_size_footwear")
    chat.say(case["said"])
    assert chat.slots["size"] == {"kind": "shoe", "system": case["system"], "values": case["values"]}
    assert chat.step == "price" and not chat.state.get("misses")


@pytest.mark.parametrize("unknown", ["nahi pata", "पता नहीं", "pata nahi", "छोड़ें"])
def test_not_knowing_the_size_skips_it_without_a_miss(unknown):
    chat = Chat().say(*TO_JUTTI_SIZE, unknown)
    assert chat.step == "price" and chat.state["skipped"] == ["size"] and not chat.state.get("misses")
    assert not chat.result.effects


def test_a_jutti_size_that_is_no_size_is_asked_again_as_a_shoe_size():
    chat = Chat().say(*TO_JUTTI_SIZE, "बहुत सुंदर है")
    assert said(chat, "retry_size_footwear") and chat.step == "size"


def test_jutti_are_priced_and_counted_by_the_pair():
    chat = Chat().say(*TO_JUTTI_SIZE, "UK 7 aur 8")
    assert said(chat, "ask_price_footwear")
    chat.say("800")
    assert chat.slots["price"] == {"amount": 800, "per": "pair"} and said(chat, "ask_quantity_footwear")
    chat.say("5", "छोड़ें")
    assert "UK 7, 8 नंबर" in chat.text and "₹800" in chat.text and "एक जोड़ी" in chat.text and "5 जोड़ी" in chat.text


@pytest.mark.parametrize("text, size", [
    ("UK 7", {"kind": "shoe", "system": "UK", "values": [7]}),
    ("7, 8 number", {"kind": "shoe", "system": None, "values": [7, 8]}),
    ("India 9", {"kind": "shoe", "system": "IN", "values": [9]}),
    ("6 बाई 4 फीट", {"length": 6, "width": 4, "unit": "foot"}),
])
def test_staff_can_set_a_shoe_size_with_the_bots_parser(text, size):
    assert flows.validate_field("size", text, parse) == size


def test_staff_get_a_reason_for_a_size_that_is_none():
    assert isinstance(flows.validate_field("size", "bahut badhiya", parse), Retry)


@pytest.mark.parametrize("craft, key", [
    ("दरी बुनाई", "ask_photos"), ("फुलकारी", "ask_photos_drape"), ("जूती बनाना", "ask_photos_footwear"),
    ("कुम्हारी", "ask_photos_vessel"), ("टोकरी बुनाई", "ask_photos_other"),
])
def test_the_photo_tip_fits_the_craft(craft, key):
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता", "हिसार", craft)
    assert said(chat, key) and chat.step == "photos"
    floor_tip = "ज़मीन पर बिछाकर"
    assert (floor_tip in chat.text) == (key == "ask_photos")


@pytest.mark.parametrize("product, key, example", [
    ("दुपट्टा", "ask_size_drape", "2.5 बाई 1.25 मीटर"), ("खेस", "ask_size_drape", "2.5 बाई 1.25 मीटर"),
    ("stole", "ask_size_drape", "2.5 बाई 1.25 मीटर"), ("दरी", "ask_size", "6 बाई 4 फीट"),
    ("मटका", "ask_size_vessel", "डेढ़ फुट"), ("mojari", "ask_size_footwear", "UK 7"),
])
def test_the_size_example_fits_the_product(product, key, example):
    chat = Chat().say(*PHULKARI, 2, "बस", product, "सूती", "लाल")
    assert chat.step == "size" and said(chat, key) and example in chat.text


def test_a_dupatta_in_natural_words_keeps_both_sides():
    chat = Chat().say(*PHULKARI, 2, "बस", "दुपट्टा", "सूती", "लाल", "ढाई मीटर लंबा और सवा मीटर चौड़ा")
    assert chat.slots["size"] == {"length": 2.5, "width": 1.25, "unit": "metre"}


TWO_SIDES = yaml.safe_load((Path(__file__).parent / "data" / "two_sides.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", TWO_SIDES, ids=[case["said"] for case in TWO_SIDES])
def test_a_length_and_a_width_said_naturally_are_both_kept(case):
    chat = Chat().say(*PHULKARI, 2, "बस", "दुपट्टा", "सूती", "लाल", case["said"])
    assert chat.slots["size"] == {"length": case["length"], "width": case["width"], "unit": case["unit"]}
    assert chat.step == "price"
