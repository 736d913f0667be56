"""What the artisan says about the material and the colour keeps its nuance (issue 19: m3, m4)."""
from __future__ import annotations

import pytest

from tests.support.chat import Chat

TO_MATERIAL = ["नमस्ते", "हाँ", "गुरप्रीत कौर", "अंबाला", "फुलकारी", 2, "बस", "दुपट्टा"]


@pytest.mark.parametrize("said, material, thread", [
    ("खादी के कपड़े पर रेशमी धागे से कढ़ाई", "khadi", "silk"),
    ("khadi pe resham ke dhage se kadhai", "khadi", "silk"),
    ("silk thread embroidery on cotton", "cotton", "silk"),
    ("सूती", "cotton", None),
    ("सूती और रेशमी", "cotton", None),
])
def test_the_base_material_and_the_thread_are_both_kept(said, material, thread):
    chat = Chat().say(*TO_MATERIAL, said)
    assert chat.slots["material"]["en"] == material and chat.step == "colour"
    assert (chat.slots.get("thread") or {}).get("en") == thread


def test_the_summary_shows_the_thread():
    chat = Chat().say(*TO_MATERIAL, "खादी के कपड़े पर रेशमी धागे से कढ़ाई", "लाल", "छोड़ें", "2500", "1", "छोड़ें")
    assert "किस चीज़ का: खादी, रेशमी धागे से" in chat.text


def test_a_thread_said_with_the_product_is_kept_too():
    chat = Chat().say(*TO_MATERIAL[:-1], "khadi dupatta, resham ke dhage ki kadhai")
    assert chat.slots["material"]["en"] == "khadi" and chat.slots["thread"]["en"] == "silk"


@pytest.mark.parametrize("said, hi, en", [
    ("गहरा लाल", "गहरा लाल", "dark red"), ("gehra laal", "गहरा लाल", "dark red"),
    ("हल्का नीला", "हल्का नीला", "light blue"), ("लाल", "लाल", "red"),
])
def test_a_shade_stays_with_its_colour(said, hi, en):
    chat = Chat().say(*TO_MATERIAL, "सूती", said)
    assert chat.slots["colour"] == [{"hi": hi, "en": en}]


def test_two_colours_keep_their_own_shades():
    chat = Chat().say(*TO_MATERIAL, "सूती", "halka hara aur gehra laal")
    assert [colour["en"] for colour in chat.slots["colour"]] == ["light green", "dark red"]


def test_kpas_is_kapas():
    chat = Chat().say(*TO_MATERIAL, "kpas")
    assert chat.slots["material"] == {"hi": "सूती", "en": "cotton"}
