"""What flows once worked around and now reads from nlu: one behaviour test per case, so nothing regresses."""
from __future__ import annotations

import pytest

from flows import prompts
from flows.types import ListingRef, SetOptOut, UpdateListing
from tests.support.chat import Chat, said

LISTINGS = (ListingRef(1, 41, "लाल दरी", "published", 1200), ListingRef(2, 42, "नीला खेस", "published", 900))
TO_PRICE = ["नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई", 2, "बस", "दरी", "सूती", "लाल", "6 बाई 4 फीट"]


def at_price(**kwargs) -> Chat:
    chat = Chat(**kwargs).say(*TO_PRICE)
    assert chat.step == "price"
    return chat


@pytest.mark.parametrize("text,amount", [("कीमत 500", 500), ("price 1500", 1500), ("दाम 700 रुपये", 700),
                                          ("keemat 1200", 1200)])
def test_a_price_named_at_the_price_question_is_a_plain_answer(text, amount):
    chat = at_price().say(text)
    assert chat.slots["price"] == {"amount": amount, "per": "piece"}
    assert chat.step == "quantity" and not said(chat, "changed")
    assert chat.text == prompts.say("ask_quantity")


def test_asking_to_change_the_price_at_the_price_question_asks_it_again_without_a_miss():
    chat = at_price().say("कीमत बदलो")
    assert chat.step == "price" and chat.text == prompts.say("ask_price") and not chat.state.get("misses")


@pytest.mark.parametrize("text,field,expected", [
    ("नहीं, कीमत 1500 है", "price", {"amount": 1500, "per": "piece"}),
    ("nahi keemat 1500 hai", "price", {"amount": 1500, "per": "piece"}),
    ("रंग नीला करो", "colour", [{"hi": "नीला", "en": "blue"}]),
    ("रंग नीला कीजिए", "colour", [{"hi": "नीला", "en": "blue"}]),
    ("रंग नीला है", "colour", [{"hi": "नीला", "en": "blue"}]),  # no edit word: a filled field with a new value
    ("nahi ye khes hai", "product", {"hi": "खेस", "en": "khes"}),
])
def test_corrections_at_a_later_question(text, field, expected):
    chat = at_price().say("1200").say(text)
    assert chat.slots[field] == expected and said(chat, "changed")
    assert chat.step == "quantity" and prompts.say("ask_quantity") in chat.text


def test_an_edit_without_a_field_asks_which_and_a_bare_field_name_picks_it():
    chat = at_price().say("1200", "5", "छोड़ें")
    assert chat.step == "confirm"
    chat.say("बदलिए")
    assert "1. " in chat.text and chat.state["pending"] == {"kind": "pick_field"}
    chat.say("रंग")
    assert chat.step == "colour" and prompts.say("ask_colour") in chat.text
    chat.say("हरा")
    assert chat.step == "confirm" and chat.slots["colour"] == [{"hi": "हरा", "en": "green"}]


@pytest.mark.parametrize("text,listing,changes", [
    ("2 की कीमत 900 करो", 42, {"price": 900}),
    ("2 ki keemat 1100", 42, {"price": 1100}),
    ("1 ka daam 1500 kar do", 41, {"price": 1500}),
    ("2 बिक गया", 42, {"status": "sold_out"}),
    ("दूसरी वाली बिक गई", 42, {"status": "sold_out"}),
])
def test_listing_numbers_come_from_nlu(text, listing, changes):
    chat = Chat(listings=LISTINGS).say(*TO_PRICE[:5]).say(text)
    assert UpdateListing(listing, changes) in chat.result.effects


def test_a_listing_number_answers_which_one():
    chat = Chat(listings=LISTINGS).say(*TO_PRICE[:5]).say("बिक गया")
    assert chat.text == prompts.say("which_listing")
    chat.say("2")
    assert UpdateListing(42, {"status": "sold_out"}) in chat.result.effects
    chat.say("हटाइए").say("पहला")
    assert said(chat, "ask_withdraw")


def test_a_price_for_a_listing_that_does_not_exist_shows_the_numbers_and_asks_which():
    chat = Chat(listings=LISTINGS).say(*TO_PRICE[:5]).say("7 की कीमत 900 करो")
    assert said(chat, "no_such_listing") and "नंबर 7 का कोई सामान नहीं है" in chat.text
    assert "1. " in chat.text and "2. " in chat.text, "the numbers there are"
    assert chat.text.endswith(prompts.say("which_listing")) and not chat.result.effects
    chat.say("1")
    assert UpdateListing(41, {"price": 900}) in chat.result.effects


@pytest.mark.parametrize("text", ["English", "mujhe english me baat karni hai", "english please", "angrezi"])
def test_asking_for_english(text):
    chat = Chat().say("नमस्ते", "हाँ").say(text)
    assert chat.state["language"] == "en" and said(chat, "language_set", "en") and said(chat, "ask_name", "en")


@pytest.mark.parametrize("text", ["Hindi me", "हिंदी में बात करो", "hindi"])
def test_asking_for_hindi(text):
    chat = Chat().say("Hello, I want to sell my durrie")
    assert chat.state["language"] == "en"
    chat.say(text)
    assert chat.state["language"] == "hi" and said(chat, "language_set") and said(chat, "consent_v1")


def test_asking_for_the_language_already_spoken_says_so_and_asks_again():
    chat = Chat().say("नमस्ते", "हाँ").say("हिंदी में")
    assert said(chat, "language_set") and said(chat, "ask_name")


@pytest.mark.parametrize("text", ["छोड़ें", "छोड़िए", "छोड़ो", "chhodo", "skip"])
def test_skip_polite_or_not(text):
    chat = at_price().say("वापस")
    assert chat.step == "size"
    chat.say(text)
    assert "size" in chat.state["skipped"] and chat.step == "price"


@pytest.mark.parametrize("text,count", [("2 दर्जन", 24), ("ek darjan", 12), ("5 पीस", 5), ("paanch", 5)])
def test_quantity_in_dozens_and_words(text, count):
    chat = at_price().say("1200", text)
    assert chat.slots["quantity"] == count


@pytest.mark.parametrize("text", ["बस", "हो गया", "bas"])
def test_done_ends_the_photos(text):
    chat = Chat().say(*TO_PRICE[:6]).say(text)
    assert chat.step == "product"


def test_prompts_use_the_polite_form():
    """The consent text keeps "मेरा डेटा हटाओ": it is versioned (consent_v1), and nlu reads "हटाएं" too."""
    for key, text in prompts.catalogue("hi").items():
        for blunt in ("छोड़ो", "बदलो", "करो"):
            assert blunt not in text, key


@pytest.mark.parametrize("lang_message", ["नमस्ते", "hello I want to sell my durrie"])
def test_sms_district_list_after_two_misses_fits_two_messages(lang_message):
    chat = Chat(channel="sms").say(lang_message, "हाँ" if lang_message == "नमस्ते" else "yes", "Sunita")
    chat.say("asdf", "qwer")
    assert chat.step == "district" and 1 < len(chat.result.replies) <= 2
    assert "22 " in chat.result.replies[-1].text
    chat.say("7")
    # the opener's durrie already named the craft: onboarding may be over, the district in the profile
    assert (chat.state.get("profile") or chat.slots)["district"]["en"] == "Hisar"


def test_sms_field_list_after_change_fits_one_message():
    chat = at_price(channel="sms").say("1200", "5", "छोड़ें")
    chat.say("बदलें")
    assert len(chat.result.replies) == 1 and "8 " in chat.text
    chat.say("6")
    assert chat.step == "price"


def test_stop_then_any_message_resumes():
    chat = at_price().say("STOP")
    assert SetOptOut(True) in chat.result.effects
    chat.say("1500")
    assert SetOptOut(False) in chat.result.effects and chat.slots["price"]["amount"] == 1500


def test_a_size_without_unit_asks_feet_or_metres_and_keeps_the_numbers():
    chat = Chat().say(*TO_PRICE[:-1]).say("6 bai 4")
    assert chat.step == "size" and "6" in chat.text and said(chat, "retry_size_unit")
    chat.say("fut")
    assert chat.slots["size"] == {"length": 6, "width": 4, "unit": "foot"} and chat.step == "price"


def test_a_size_without_unit_in_an_over_answer_is_left_for_the_size_question():
    chat = Chat().say(*TO_PRICE[:7]).say("laal sooti dari 6 bai 4 1200 rs")
    assert "size" not in chat.slots and chat.slots["price"]["amount"] == 1200 and chat.step == "size"


@pytest.mark.parametrize("text", ["bhej do", "भेज दीजिए", "submit"])
def test_send_at_the_summary_submits(text):
    chat = at_price().say("1200", "5", "छोड़ें").say(text)
    assert any(type(e).__name__ == "SubmitListing" for e in chat.result.effects)


def test_an_unclear_answer_at_the_summary_says_how_to_answer():
    chat = at_price().say("1200", "5", "छोड़ें").say("kal dekhenge")
    assert said(chat, "retry_confirm") and chat.step == "confirm"


def test_done_at_a_required_question_asks_again_without_a_miss():
    chat = Chat().say(*TO_PRICE[:7]).say("बस")
    assert chat.step == "product" and chat.text == prompts.say("ask_product") and not chat.state.get("misses")


def test_sms_texts_are_on_lines_of_their_own():
    chat = Chat(channel="sms").say(*TO_PRICE[:7]).say("लाल सूती पंजा दरी")
    assert "\n" + prompts.say("ask_size").split("।")[0] in chat.text


@pytest.mark.parametrize("listings,example", [(LISTINGS[:1], "जैसे: 1 बिक गया"), (LISTINGS, "जैसे: 2 बिक गया")])
def test_my_listings_gives_an_example_with_a_number_the_artisan_has(listings, example):
    chat = Chat(listings=listings).say(*TO_PRICE[:5]).say("मेरी लिस्टिंग")
    assert said(chat, "my_listings") and example in chat.text
