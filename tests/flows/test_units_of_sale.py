"""A price and a quantity in one unit of sale: per metre, pair, dozen, set or kilo (issue 17)."""
from __future__ import annotations

import pytest

from tests.support.chat import Chat

TO_PRICE = ["नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई", 2, "बस", "दरी", "सूती", "लाल", "6 बाई 4 फीट"]


@pytest.mark.parametrize("price, quantity, per, count", [
    ("400", "बीस जोड़ी", "pair", 20),
    ("120 रुपये मीटर", "50 मीटर", "metre", 50),
    ("500", "25 set", "set", 25),
    ("700", "3", "piece", 3),
])
def test_price_and_quantity_agree_on_the_unit(price, quantity, per, count):
    chat = Chat().say(*TO_PRICE, price, quantity)
    slots = chat.state["slots"]
    assert (slots["price"]["per"], slots["quantity"]) == (per, count), slots


def test_the_summary_counts_in_the_unit_of_sale():
    chat = Chat().say(*TO_PRICE, "400", "बीस जोड़ी", "छोड़ें")
    assert "20 जोड़ी" in chat.text, chat.text


def test_jutti_sizes_are_asked_as_shoe_sizes_and_kept_as_shoe_sizes():
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता", "हिसार", "जूती बनाना", 2, "बस", "जूती", "चमड़ा", "काली")
    assert chat.state["step"] == "size" and "नंबर" in chat.text
    chat.say("6 से 10 नंबर")
    assert chat.state["step"] == "price"
    assert chat.state["slots"]["size"] == {"kind": "shoe", "system": None, "values": [6, 7, 8, 9, 10]}


def test_a_matka_is_asked_its_height():
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता", "हिसार", "मिट्टी के बर्तन", 2, "बस", "मटका", "मिट्टी", "लाल")
    assert chat.state["step"] == "size" and "ऊँचा" in chat.text
    chat.say("डेढ़ फुट")
    assert chat.state["slots"]["size"] == {"length": 1.5, "width": None, "unit": "foot"}


@pytest.mark.parametrize("said", ["free size", "kids size", "10 लीटर", "S, M, L"])
def test_a_size_that_is_not_a_measure_is_kept_as_a_note(said):
    chat = Chat().say(*TO_PRICE[:-1], said)
    assert chat.state["step"] == "price" and chat.state["slots"]["size_note"] == said


@pytest.mark.parametrize("said, amount", [("ग्यारह सौ रुपये", 1100), ("dedh hazaar", 1500)])
def test_a_price_said_in_words_is_read_back_before_it_is_kept(said, amount):
    chat = Chat().say(*TO_PRICE, said)
    assert chat.state["pending"]["kind"] == "price_check" and "price" not in chat.state["slots"]
    assert f"{amount:,}" in chat.text
    chat.say("हाँ")
    assert chat.state["slots"]["price"]["amount"] == amount and chat.state["step"] == "quantity"


def test_a_read_back_price_that_is_wrong_is_asked_again_in_digits():
    chat = Chat().say(*TO_PRICE, "ग्यारह सौ रुपये", "नहीं")
    assert chat.state["step"] == "price" and "अंकों" in chat.text
    chat.say("1100")
    assert chat.state["slots"]["price"]["amount"] == 1100


def test_a_price_in_digits_is_not_read_back():
    chat = Chat().say(*TO_PRICE, "1200")
    assert "pending" not in chat.state and chat.state["step"] == "quantity"


def test_saying_the_same_price_again_confirms_it_and_another_price_replaces_it():
    chat = Chat().say(*TO_PRICE, "ढाई हजार", "ढाई हजार")
    assert chat.state["slots"]["price"]["amount"] == 2500 and chat.state["step"] == "quantity"
    chat = Chat().say(*TO_PRICE, "ढाई हजार", "2000")
    assert chat.state["slots"]["price"]["amount"] == 2000 and chat.state["step"] == "quantity"


@pytest.mark.parametrize("price, quantity, per, count", [
    ("दर्जन के 90", "पचास दर्जन", "dozen", 50),
    ("650 jodi", "12", "pair", 12),
    ("120 rupay jodi", "do darjan jodi", "pair", 24),
])
def test_units_said_with_the_price_or_the_count(price, quantity, per, count):
    chat = Chat().say(*TO_PRICE, price, quantity)
    slots = chat.state["slots"]
    assert (slots["price"]["per"], slots["quantity"]) == (per, count), slots


@pytest.mark.parametrize("said, colours", [
    ("natural", ["natural"]), ("बांस का ही रंग है, कोई रंग नहीं किया", ["natural"]),
    ("brown with beige border", ["brown", "beige"]), ("Copper", ["copper"]), ("mix rang", ["multicolour"]),
])
def test_colours_beyond_the_basic_list(said, colours):
    chat = Chat().say(*TO_PRICE[:-2], said)
    assert [c["en"] for c in chat.state["slots"]["colour"]] == colours


def test_a_price_taken_back_in_a_correction_is_not_the_one_kept():
    chat = Chat().say(*TO_PRICE, "250", "ruko, price 250 nahi 300 h")
    assert chat.state["slots"]["price"]["amount"] == 300


def test_a_description_that_mentions_colours_is_the_description():
    chat = Chat().say(*TO_PRICE, "1200", "5", "Hand block print with natural colours, rang nahi chhodta")
    assert chat.state["slots"]["description"].startswith("Hand block print") and chat.state["step"] == "confirm"


def test_at_the_summary_a_number_taken_back_is_corrected_and_a_colour_can_be_added():
    chat = Chat().say(*TO_PRICE, "1200", "7", "छोड़ें")
    assert chat.state["step"] == "confirm"
    chat.say("7 नहीं, 9 हैं")
    assert chat.state["slots"]["quantity"] == 9
    chat.say("रंग में हरा भी डालो")
    assert [c["en"] for c in chat.state["slots"]["colour"]] == ["red", "green"]
