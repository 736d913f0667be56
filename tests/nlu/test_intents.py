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


# Gaps found by the conversation engine: each row Devanagari, Roman and English side by side where they exist.
POLITE = [
    # skip: polite imperatives and "rehne do"
    ("छोड़ें", "skip"), ("छोड़िए", "skip"), ("छोड़िये", "skip"), ("छोड़ दीजिए", "skip"), ("chhodiye", "skip"),
    ("chhod dijiye", "skip"), ("skip karo", "skip"), ("rehne do", "skip"), ("रहने दो", "skip"), ("skip it", "skip"),
    # every command verb in its polite forms
    ("बदलें", "edit"), ("बदलिए", "edit"), ("badaliye", "edit"), ("हटाएँ", "withdraw"), ("हटाइए", "withdraw"),
    ("hataiye", "withdraw"), ("मैसेज मत भेजें", "stop"), ("message mat bhejiye", "stop"),
    ("वापस जाइए", "back"), ("wapas jaiye", "back"), ("मदद कीजिए", "help"), ("madad kijiye", "help"),
    ("रद्द कीजिए", "cancel"), ("रद्द करें", "cancel"), ("radd kijiye", "cancel"), ("cancel kijiye", "cancel"),
    ("फिर से शुरू करें", "restart"), ("phir se shuru karein", "restart"),
    ("मेरी लिस्टिंग दिखाइए", "my_listings"), ("meri listing dikhaiye", "my_listings"),
    # restart vs new listing
    ("नया शुरू करें", "restart"), ("naya shuru karo", "restart"), ("start over", "restart"),
    ("नया सामान", "new_listing"), ("नया सामान जोड़ना है", "new_listing"), ("naya saman jodna hai", "new_listing"),
    ("Add a product", "new_listing"), ("new product", "new_listing"),
    # a person
    ("किसी से बात करें", "human"), ("बात कराओ", "human"), ("kisi se baat karo", "human"),
    ("baat karao", "human"), ("Talk to a person", "human"), ("talk to someone", "human"),
    ("mujhe kisi insaan se baat karni hai", "human"), ("mujhe insaan se baat karni h", "human"), ("इंसान से बात कराइए", "human"),
    # continue = yes, and it is not the material ज़री
    ("जारी रखें", "affirm"), ("जारी रखो", "affirm"), ("jari rakhein", "affirm"), ("jaari rakho", "affirm"),
    ("continue", "affirm"),
    # done
    ("बस", "done"), ("bas", "done"), ("हो गया", "done"), ("हाँ हो गया", "done"), ("बस इतना ही", "done"),
    ("bas itna hi", "done"), ("done", "done"), ("that is all", "done"),
]


@pytest.mark.parametrize("text,name", POLITE)
def test_polite_forms_and_more_commands(text, name):
    p = nlu.parse(text)
    assert p["intent"]["name"] == name
    assert not [e for e in p["entities"] if e["entity"] in ("material", "product", "colour", "craft")]


LANGUAGE = [
    ("English", "en"), ("english", "en"), ("English please", "en"), ("angrezi mein", "en"),
    ("अंग्रेज़ी में बात करें", "en"), ("अंग्रेजी में", "en"), ("in English please", "en"),
    ("mujhe english me baat karni hai", "en"), ("English mein likho", "en"),
    ("हिंदी", "hi"), ("हिन्दी में", "hi"), ("Hindi me", "hi"), ("Hindi mein baat karo", "hi"),
    ("हिंदी में बात कीजिए", "hi"), ("mujhey english mai baat karni h", "en"), ("muje english me bat krni hai", "en"),
    ("मुझे अंग्रेजी में बात करनी है", "en"), ("mujhe English aati hai", "en"), ("mujhe hindi me baat karni he", "hi"),
]


@pytest.mark.parametrize("text,lang", LANGUAGE)
def test_language_requests(text, lang):
    p = nlu.parse(text)
    assert p["intent"]["name"] == "language"
    assert [(e["entity"], e["value"]) for e in p["entities"]] == [("language", lang)]


@pytest.mark.parametrize("text", ["इसकी कीमत 500 रुपये है", "iski keemat 500 hai", "its price is 500 rs"])
def test_describing_the_price_is_an_answer(text):
    p = nlu.parse(text)
    assert p["intent"]["name"] == "inform" and ("amount_of_money", 500) in ents(text)


@pytest.mark.parametrize("text", ["my english is weak", "हिंदी में लिखी दरी 500 रुपये", "english dari"])
def test_language_word_in_other_messages_is_not_a_request(text):
    assert intent(text)["name"] != "language"


def ents(text, **kw):
    return [(e["entity"], e["value"]) for e in nlu.parse(text, **kw)["entities"]]


# edit with the field named, its value, and the listing it is about
EDIT_VALUES = [
    ("रंग नीला करो", "colour", [("field", "colour"), ("colour", "नीला")]),
    ("rang neela karo", "colour", [("field", "colour"), ("colour", "नीला")]),
    ("colour blue karo", "colour", [("field", "colour"), ("colour", "नीला")]),
    ("2 की कीमत 900 करो", "price",
     [("number", 2), ("listing_number", 2), ("field", "price"), ("amount_of_money", 900)]),
    ("2 ki keemat 900 karo", "price",
     [("number", 2), ("listing_number", 2), ("field", "price"), ("amount_of_money", 900)]),
    ("listing 2 ka price 900 karo", "price",
     [("number", 2), ("listing_number", 2), ("field", "price"), ("amount_of_money", 900)]),
    ("price 1500", "price", [("field", "price"), ("amount_of_money", 1500)]),
    ("कीमत 1500", "price", [("field", "price"), ("amount_of_money", 1500)]),
    ("change price to 900", "price", [("field", "price"), ("amount_of_money", 900)]),
    ("नहीं, कीमत 1500 है", "price", [("field", "price"), ("amount_of_money", 1500)]),
    ("nahi, keemat 1500 hai", "price", [("field", "price"), ("amount_of_money", 1500)]),
    ("no, price is 1500", "price", [("field", "price"), ("amount_of_money", 1500)]),
    ("नहीं, रंग नीला है", "colour", [("field", "colour"), ("colour", "नीला")]),
    ("कीमत 600 करो", "price", [("field", "price"), ("amount_of_money", 600)]),
]


@pytest.mark.parametrize("text,field,expected", EDIT_VALUES)
def test_edit_with_field_and_value(text, field, expected):
    p = nlu.parse(text)
    assert p["intent"]["name"] == "edit"
    assert ents(text) == expected


LISTING_NUMBERS = [
    ("2 बिक गया", "sold_out", 2), ("2 bik gaya", "sold_out", 2), ("दूसरी वाली बिक गई", "sold_out", 2),
    ("2 हटाओ", "withdraw", 2), ("remove 2", "withdraw", 2), ("लिस्टिंग 3 हटा दो", "withdraw", 3),
    ("2 की कीमत 900 करो", "edit", 2), ("3 ka rate 500 karo", "edit", 3),
]


@pytest.mark.parametrize("text,name,number", LISTING_NUMBERS)
def test_listing_number(text, name, number):
    p = nlu.parse(text)
    assert p["intent"]["name"] == name
    assert [e["value"] for e in p["entities"] if e["entity"] == "listing_number"] == [number]


@pytest.mark.parametrize("text", ["कीमत 600 करो", "price 1500", "quantity 5 karo", "12 पीस", "रंग नीला करो"])
def test_no_listing_number_without_a_leading_number(text):
    assert "listing_number" not in [e for e, _ in ents(text)]


# names and everyday phrases are not lexicon words
NOT_LEXICON = [
    "Ram Kumar", "राम कुमार", "Sunita Devi", "सुनीता देवी", "Geeta", "गीता", "Mohan Lal", "मोहन लाल",
    "Kamla", "कमला", "Santosh Kumari", "संतोष कुमारी", "Hari Singh", "mera naam Mohan Lal hai",
    "मेरा नाम राम कुमार है", "jari rakhein", "जारी रखें", "jaari rakhiye", "pehle photo bhejo",
    "कल भेजेंगे", "hum banate hain", "बढ़िया है", "rakhenge", "सबसे पहले फोटो भेजो",
]


@pytest.mark.parametrize("text", NOT_LEXICON)
def test_names_and_phrases_are_not_lexicon_entities(text):
    assert not [e for e, _ in ents(text) if e in ("product", "material", "colour", "craft", "district", "ordinal")]


@pytest.mark.parametrize("text,expected", [
    ("hari dari", [("colour", "हरा"), ("product", "दरी")]),
    ("lal hari dari", [("colour", "लाल"), ("colour", "हरा"), ("product", "दरी")]),
    ("jari wali jutti", [("material", "ज़री"), ("product", "जूती")]),
    ("ज़री की जूती", [("material", "ज़री"), ("product", "जूती")]),
])
def test_name_words_still_lexicon_words_elsewhere(text, expected):
    assert ents(text) == expected


# nlu.parse(text, expect=...): what the question asked for
EXPECT = [
    ("500", "price", [("amount_of_money", 500)]), ("पांच सौ", "price", [("amount_of_money", 500)]),
    ("paanch sau", "price", [("amount_of_money", 500)]), ("500 रुपये", "price", [("amount_of_money", 500)]),
    ("5", "quantity", [("quantity", 5)]), ("पांच", "quantity", [("quantity", 5)]),
    ("five", "quantity", [("quantity", 5)]), ("12 पीस", "quantity", [("quantity", 12)]),
    ("6 4", "size", [("dimensions", {"length": 6, "width": 4, "unit": None})]),
    ("छह चार", "size", [("dimensions", {"length": 6, "width": 4, "unit": None})]),
    ("do", "number", [("number", 2)]), ("ek dari", "number", [("number", 1), ("product", "दरी")]),
    ("Santosh Kumari", "name", []), ("Mohan Lal", "name", []), ("Sunita", "name", []),
    ("phulkri", "name", []), ("phulkri", None, [("product", "फुलकारी"), ("craft", "फुलकारी")]),
    ("dupata", "name", [("product", "दुपट्टा")]),
    ("500", None, [("number", 500)]), ("5", None, [("number", 5)]), ("6 4", None, [("number", 6), ("number", 4)]),
]


@pytest.mark.parametrize("text,expect,expected", EXPECT)
def test_expect(text, expect, expected):
    assert ents(text, expect=expect) == expected


def test_expect_money_and_quantity_units():
    p = nlu.parse("500", expect="price")["entities"][0]
    assert p["unit"] == "INR" and (p["start"], p["end"]) == (0, 3)
    assert nlu.parse("5", expect="quantity")["entities"][0]["unit"] == "piece"


def test_unknown_expect_is_ignored():
    assert ents("500", expect="colour") == [("number", 500)]
