"""A craft or product no vocabulary holds is the artisan's own, kept as said (issue 17): never numbered choices."""
from __future__ import annotations

import pytest

from tests.support.chat import Chat


@pytest.mark.parametrize("said, kept", [
    ("कठपुतली बनाता हूँ", "कठपुतली"),
    ("main kathputli banata hu", "kathputli"),
    ("paper mache masks", "paper mache masks"),
    ("गोबर के उपले बनाती हूं", "गोबर के उपले"),
])
def test_a_craft_in_the_artisans_own_words_is_kept(said, kept):
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता", "हिसार", said)
    assert chat.state["profile"]["craft"] == {"hi": kept, "en": None}
    assert chat.state["flow"] == "listing", "on to the listing, not a list of crafts to pick from"


@pytest.mark.parametrize("said, kept", [
    ("सरकंडे की कुर्सी", "सरकंडे की कुर्सी"),
    ("crochet table cover", "crochet table cover"),
])
def test_a_product_in_the_artisans_own_words_is_kept_and_the_next_question_asked(said, kept):
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई", 2, "बस", said)
    product = chat.state["slots"]["product"]
    assert product["hi"] == kept or product.get("en"), product
    assert chat.state["step"] != "product"


@pytest.mark.parametrize("said", ["1200", "मदद", "6 बाई 4 फीट"])
def test_what_is_not_a_name_is_not_taken_as_one(said):
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई", 2, "बस", said)
    assert "product" not in chat.state["slots"]
