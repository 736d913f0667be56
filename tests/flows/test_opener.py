"""What an artisan says before and with consent is used once they agree (issue 17): never asked again."""
from __future__ import annotations

import pytest

from tests.support.chat import Chat


def asked(chat) -> str:
    return chat.state["step"]


def test_a_product_dump_before_consent_fills_the_draft_once_consent_is_given():
    chat = Chat().say("hari ooni shawl hai 1500 ki", "haan", "Kamla", "सिरसा", "बुनाई")
    slots = chat.state["slots"]
    assert slots["product"]["en"] == "shawl" and slots["price"]["amount"] == 1500
    assert asked(chat) == "photos"
    chat.say(2, "bas")
    assert asked(chat) not in ("product", "price"), "the opener answered them"


def test_an_introduction_before_consent_fills_the_profile():
    chat = Chat().say("namaste, mera naam Kamla hai, Sirsa se, khes bunti hoon", "haan")
    assert chat.state["flow"] == "listing", chat.state  # name, district and craft all came with the opener
    assert chat.state["profile"]["name"] == "Kamla" and chat.state["profile"]["district"]["en"] == "Sirsa"


def test_a_consent_answer_that_carries_a_name_is_not_asked_the_name():
    chat = Chat().say("नमस्ते", "haan ji, mera naam Kamla hai")
    assert asked(chat) == "district" and chat.state["slots"]["name"] == "Kamla"


def test_a_refused_consent_asks_for_everything_to_be_erased_opener_included():
    chat = Chat().say("hari ooni shawl hai 1500 ki", "नहीं")
    assert any(type(e).__name__ == "RefuseConsent" for e in chat.result.effects)


@pytest.mark.parametrize("opener, name", [
    ("ram ram, main Sonipat se Bimla, dari bunti hoon", "Bimla"),
    ("hi, this is Suresh from Karnal", "Suresh"),
    ("नमस्ते जी, मैं कमला, रोहतक से", "कमला"),
    ("राम राम, करनाल तै सुमन बोलूं सूं", "सुमन"),
])
def test_an_introduction_without_my_name_is_still_gives_the_name(opener, name):
    chat = Chat().say(opener, "हाँ")
    assert (chat.state.get("profile") or chat.state["slots"])["name"] == name
    assert chat.state["step"] not in ("name", "district")


@pytest.mark.parametrize("opener", ["main jutti banata hu", "मैं 5 दरी बनाती हूँ", "main bhi theek hu"])
def test_no_name_is_made_up_from_other_words(opener):
    chat = Chat().say(opener, "हाँ")
    assert chat.state["step"] == "name"


def test_a_number_before_the_product_in_an_opener_is_how_many():
    chat = Chat().say("4 lal dari hain suti, 900 ki ek", "haan", "Kamla", "Sirsa", "dari bunai")
    assert chat.state["slots"]["quantity"] == 4 and chat.state["slots"]["price"]["amount"] == 900
