"""Commands, yes/no and answers, with confidence that means something."""
import pytest

import nlu


def intent(text):
    return nlu.parse(text)["intent"]


INTENTS = [
    # affirm
    ("हाँ", "affirm"), ("हां", "affirm"), ("हा", "affirm"), ("जी", "affirm"), ("जी हाँ", "affirm"),
    ("हाँ जी", "affirm"), ("ठीक है", "affirm"), ("सही है", "affirm"), ("बिल्कुल", "affirm"),
    ("बिलकुल सही", "affirm"), ("ok", "affirm"), ("OK", "affirm"), ("okay", "affirm"), ("haan", "affirm"),
    ("ha", "affirm"), ("han", "affirm"), ("haan ji", "affirm"), ("yes", "affirm"), ("👍", "affirm"),
    ("👍🏽", "affirm"), ("theek hai", "affirm"), ("thik hai", "affirm"), ("हाँ।", "affirm"),
    ("हाँ, ठीक है", "affirm"), ("ji haan", "affirm"), ("हाँ भाई", "affirm"), ("✅", "affirm"),
    # deny
    ("नहीं", "deny"), ("नही", "deny"), ("ना", "deny"), ("नहीं जी", "deny"), ("गलत", "deny"),
    ("गलत है", "deny"), ("मत", "deny"), ("nahi", "deny"), ("nahin", "deny"), ("nai", "deny"),
    ("no", "deny"), ("NO", "deny"), ("❌", "deny"), ("ठीक नहीं", "deny"), ("ठीक नहीं है", "deny"),
    ("सही नहीं है", "deny"), ("galat hai", "deny"), ("nahi ji", "deny"), ("जी नहीं", "deny"),
    # help
    ("मदद", "help"), ("help", "help"), ("?", "help"), ("मदद चाहिए", "help"), ("madad", "help"),
    ("समझ नहीं आया", "help"), ("HELP", "help"),
    # back
    ("वापस", "back"), ("पीछे", "back"), ("back", "back"), ("वापस जाओ", "back"), ("wapas", "back"),
    ("peeche", "back"),
    # skip
    ("छोड़ो", "skip"), ("छोड़ दो", "skip"), ("आगे", "skip"), ("skip", "skip"), ("chhodo", "skip"),
    ("aage", "skip"), ("बाद में", "skip"),
    # cancel
    ("रद्द", "cancel"), ("रद्द करो", "cancel"), ("कैंसल", "cancel"), ("बंद करो", "cancel"),
    ("cancel", "cancel"), ("band karo", "cancel"), ("radd karo", "cancel"),
    # restart
    ("फिर से", "restart"), ("शुरू से", "restart"), ("restart", "restart"), ("phir se", "restart"),
    ("fir se", "restart"), ("फिर से शुरू करो", "restart"),
    # done
    ("बस", "done"), ("हो गया", "done"), ("done", "done"), ("बस हो गया", "done"), ("ho gaya", "done"),
    ("bas", "done"),
    # human
    ("इंसान से बात", "human"), ("किसी से बात कराओ", "human"), ("agent", "human"), ("human", "human"),
    ("insaan se baat karni hai", "human"), ("मुझे किसी से बात करनी है", "human"),
    # stop
    ("STOP", "stop"), ("stop", "stop"), ("बंद", "stop"), ("मैसेज मत भेजो", "stop"),
    ("unsubscribe", "stop"), ("मैसेज बंद करो", "stop"),
    # greet
    ("नमस्ते", "greet"), ("नमस्कार", "greet"), ("राम राम", "greet"), ("hello", "greet"), ("hi", "greet"),
    ("namaste", "greet"), ("नमस्ते जी", "greet"), ("ram ram ji", "greet"),
    # thanks
    ("धन्यवाद", "thanks"), ("शुक्रिया", "thanks"), ("thanks", "thanks"), ("thank you", "thanks"),
    ("dhanyawad", "thanks"), ("🙏", "thanks"), ("बहुत धन्यवाद जी", "thanks"),
    # new listing / my listings
    ("नया सामान", "new_listing"), ("नया सामान डालना है", "new_listing"), ("new listing", "new_listing"),
    ("कुछ बेचना है", "new_listing"), ("naya saman", "new_listing"), ("मेरी लिस्टिंग", "my_listings"),
    ("मेरे सामान", "my_listings"), ("my listings", "my_listings"), ("meri listing", "my_listings"),
    ("मेरी लिस्टिंग दिखाओ", "my_listings"),
    # sold out, withdraw, delete my data
    ("बिक गया", "sold_out"), ("2 बिक गया", "sold_out"), ("दूसरी वाली बिक गई", "sold_out"),
    ("sold", "sold_out"), ("1 bik gaya", "sold_out"), ("दो बिक गए", "sold_out"),
    ("2 हटाओ", "withdraw"), ("हटा दो", "withdraw"), ("3 hata do", "withdraw"), ("remove 2", "withdraw"),
    ("लिस्टिंग 2 हटा दो", "withdraw"),
    ("मेरा डेटा हटाओ", "delete_my_data"), ("मेरी जानकारी हटा दो", "delete_my_data"),
    ("delete my data", "delete_my_data"), ("mera data hatao", "delete_my_data"),
    ("मेरा डाटा मिटा दो", "delete_my_data"),
    # answers
    ("लाल सूती दरी 500 रुपये", "inform"), ("500", "inform"), ("पंजा दरी", "inform"),
    ("6 बाई 4 फीट", "inform"), ("पानीपत", "inform"), ("हाथ से बनी दरी है", "inform"),
    ("नमस्ते, मेरी लाल दरी 500 रुपये की है", "inform"), ("बस 500 रुपये", "inform"),
]


@pytest.mark.parametrize("text,name", INTENTS)
def test_intents(text, name):
    assert intent(text)["name"] == name


EDITS = [
    ("कीमत बदलो", "price"), ("दाम बदलना है", "price"), ("keemat badlo", "price"), ("change price", "price"),
    ("रंग बदलो", "colour"), ("फोटो बदलो", "photos"), ("photo change karo", "photos"), ("नाम बदल दो", "name"),
    ("साइज़ गलत है", "size"), ("नाप बदलो", "size"), ("जिला बदलो", "district"), ("सामान बदलो", "product"),
    ("मटेरियल बदलो", "material"), ("गिनती बदलो", "quantity"), ("विवरण बदलो", "description"),
    ("कला बदलो", "craft"), ("कीमत गलत है", "price"), ("rate change", "price"),
    ("हाँ, पर कीमत 600 करो", "price"), ("keemat 800 kar do", "price"), ("रंग लाल कर दो", "colour"),
]


@pytest.mark.parametrize("text,field", EDITS)
def test_edit_names_the_field(text, field):
    p = nlu.parse(text)
    assert p["intent"]["name"] == "edit"
    assert [e["value"] for e in p["entities"] if e["entity"] == "field"] == [field]


def test_edit_without_field():
    p = nlu.parse("बदलो")
    assert p["intent"]["name"] == "edit" and not [e for e in p["entities"] if e["entity"] == "field"]


@pytest.mark.parametrize("text,number", [("2 बिक गया", 2), ("2 हटाओ", 2), ("लिस्टिंग 3 हटा दो", 3)])
def test_listing_number_comes_with_the_command(text, number):
    assert [e["value"] for e in nlu.parse(text)["entities"] if e["entity"] == "number"] == [number]


CONFIDENT = ["लाल सूती दरी 500 रुपये", "हाँ", "नहीं", "मदद", "कीमत बदलो", "6 बाई 4 फीट", "500 रुपये"]


@pytest.mark.parametrize("text", CONFIDENT)
def test_clear_messages_are_confident(text):
    assert intent(text)["confidence"] >= 0.8


UNSURE = ["asdf qwerty", "xyz", "कल बारिश बहुत थी", "...", "", "   ", "hmm hmm", "ज्ञ", "😂😂"]


@pytest.mark.parametrize("text", UNSURE)
def test_gibberish_is_low_confidence_inform(text):
    i = intent(text)
    assert i["name"] == "inform" and i["confidence"] < 0.5
