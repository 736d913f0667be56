"""A price and a quantity in one unit of sale: per metre, pair, dozen, set or kilo (issue 17)."""
from __future__ import annotations

import pytest

from tests.flows.test_nlu_readings import Chat

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
