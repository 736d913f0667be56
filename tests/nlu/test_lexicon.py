"""Products, materials, colours, crafts and districts: canonical Hindi plus English."""
import pytest

import nlu


def found(text, entity):
    return [(e["value"], e["value_en"]) for e in nlu.parse(text)["entities"] if e["entity"] == entity]


PRODUCTS = [
    ("दरी", "दरी", "durrie"), ("dari", "दरी", "durrie"), ("durrie", "दरी", "durrie"),
    ("dhurrie", "दरी", "durrie"), ("darri", "दरी", "durrie"), ("पंजा दरी", "पंजा दरी", "panja durrie"),
    ("panja dari", "पंजा दरी", "panja durrie"), ("चिंदी दरी", "चिंदी दरी", "chindi rug"),
    ("chindi dari", "चिंदी दरी", "chindi rug"), ("खेस", "खेस", "khes"), ("khes", "खेस", "khes"),
    ("फुलकारी", "फुलकारी", "phulkari"), ("phulkari", "फुलकारी", "phulkari"),
    ("phoolkari", "फुलकारी", "phulkari"), ("बाग़", "फुलकारी", "phulkari"), ("बाग", "फुलकारी", "phulkari"),
    ("शॉल", "शॉल", "shawl"), ("शाल", "शॉल", "shawl"), ("shawl", "शॉल", "shawl"),
    ("दुपट्टा", "दुपट्टा", "dupatta"), ("dupatta", "दुपट्टा", "dupatta"), ("लुंगी", "लुंगी", "lungi"),
    ("कंबल", "कंबल", "blanket"), ("कम्बल", "कंबल", "blanket"), ("kambal", "कंबल", "blanket"),
    ("चादर", "चादर", "bedsheet"), ("chaddar", "चादर", "bedsheet"), ("कुशन कवर", "कुशन कवर", "cushion cover"),
    ("cushion cover", "कुशन कवर", "cushion cover"), ("जूती", "जूती", "jutti"), ("jutti", "जूती", "jutti"),
    ("ज़री जूती", "जूती", "jutti"), ("तिल्ला जूती", "जूती", "jutti"), ("zari jutti", "जूती", "jutti"),
    ("मूढ़ा", "मूढ़ा", "reed stool"), ("मूढा", "मूढ़ा", "reed stool"), ("moodha", "मूढ़ा", "reed stool"),
    ("पीढ़ा", "पीढ़ा", "peedha"), ("चारपाई", "चारपाई", "charpai"), ("charpai", "चारपाई", "charpai"),
    ("छंगेरी", "टोकरी", "basket"), ("टोकरी", "टोकरी", "basket"), ("टोकरा", "टोकरी", "basket"),
    ("tokri", "टोकरी", "basket"), ("घड़ा", "घड़ा", "clay pot"), ("घडा", "घड़ा", "clay pot"),
    ("मटका", "मटका", "matka"), ("matka", "मटका", "matka"), ("सुराही", "सुराही", "surahi"),
    ("पीतल के बर्तन", "पीतल के बर्तन", "brass utensils"), ("लकड़ी के मनके", "लकड़ी के मनके", "wooden beads"),
    ("गुड़िया", "गुड़िया", "doll"), ("gudiya", "गुड़िया", "doll"), ("हाथ पंखा", "हाथ पंखा", "hand fan"),
    ("haath pankha", "हाथ पंखा", "hand fan"), ("साड़ी", "साड़ी", "sari"),
    ("phulkaari", "फुलकारी", "phulkari"), ("फूलकारी", "फुलकारी", "phulkari"), ("dupatttaa", "दुपट्टा", "dupatta"),
    ("charpayi", "चारपाई", "charpai"),
    ("दुपट्टाा", "दुपट्टा", "dupatta"), ("चारपायी", "चारपाई", "charpai"), ("सुराहि", "सुराही", "surahi"),
    ("फुलकारी दुपट्टा", "फुलकारी दुपट्टा", "phulkari dupatta"), ("phulkari dupatta", "फुलकारी दुपट्टा", "phulkari dupatta"),
    ("phulkari chunni", "फुलकारी दुपट्टा", "phulkari dupatta"), ("phulkari shawl", "फुलकारी शॉल", "phulkari shawl"),
]


@pytest.mark.parametrize("text,value,english", PRODUCTS)
def test_products(text, value, english):
    assert found(text, "product") == [(value, english)]


def test_multiword_product_beats_single_word():
    assert found("मेरी पंजा दरी बिकाऊ है", "product") == [("पंजा दरी", "panja durrie")]


MATERIALS = [
    ("सूती", "सूती", "cotton"), ("सूत", "सूती", "cotton"), ("कपास", "सूती", "cotton"),
    ("kapas", "सूती", "cotton"), ("kapaas", "सूती", "cotton"), ("cotton", "सूती", "cotton"),
    ("suti", "सूती", "cotton"), ("ऊन", "ऊनी", "wool"), ("ऊनी", "ऊनी", "wool"), ("wool", "ऊनी", "wool"),
    ("रेशम", "रेशमी", "silk"), ("रेशमी", "रेशमी", "silk"), ("silk", "रेशमी", "silk"),
    ("जूट", "जूट", "jute"), ("jute", "जूट", "jute"), ("खादी", "खादी", "khadi"), ("चमड़ा", "चमड़ा", "leather"),
    ("चमड़े", "चमड़ा", "leather"), ("leather", "चमड़ा", "leather"), ("मिट्टी", "मिट्टी", "clay"),
    ("mitti", "मिट्टी", "clay"), ("लकड़ी", "लकड़ी", "wood"), ("lakdi", "लकड़ी", "wood"),
    ("पीतल", "पीतल", "brass"), ("तांबा", "तांबा", "copper"), ("ताँबा", "तांबा", "copper"),
    ("बांस", "बांस", "bamboo"), ("बाँस", "बांस", "bamboo"), ("सरकंडा", "सरकंडा", "reed"),
    ("मूंज", "मूंज", "munj grass"), ("moonj", "मूंज", "munj grass"),
    ("खजूर के पत्ते", "खजूर के पत्ते", "date-palm leaf"), ("ज़री", "ज़री", "metal thread"),
    ("zari", "ज़री", "metal thread"), ("चिंदी", "चिंदी", "rag"),
]


@pytest.mark.parametrize("text,value,english", MATERIALS)
def test_materials(text, value, english):
    assert found(text, "material") == [(value, english)]


COLOURS = [
    ("लाल", "लाल", "red"), ("lal", "लाल", "red"), ("laal", "लाल", "red"), ("red", "लाल", "red"),
    ("नीला", "नीला", "blue"), ("नीली", "नीला", "blue"), ("नीले", "नीला", "blue"), ("neeli", "नीला", "blue"),
    ("पीला", "पीला", "yellow"), ("पीली", "पीला", "yellow"), ("हरा", "हरा", "green"), ("हरी", "हरा", "green"),
    ("हरे", "हरा", "green"), ("hari", "हरा", "green"), ("काला", "काला", "black"), ("काली", "काला", "black"),
    ("सफ़ेद", "सफ़ेद", "white"), ("सफेद", "सफ़ेद", "white"), ("safed", "सफ़ेद", "white"),
    ("safaid", "सफ़ेद", "white"), ("गुलाबी", "गुलाबी", "pink"), ("नारंगी", "नारंगी", "orange"),
    ("संतरी", "नारंगी", "orange"), ("बैंगनी", "बैंगनी", "purple"), ("जामुनी", "बैंगनी", "purple"),
    ("भूरा", "भूरा", "brown"), ("भूरी", "भूरा", "brown"), ("कत्थई", "कत्थई", "maroon"),
    ("स्लेटी", "स्लेटी", "grey"), ("आसमानी", "आसमानी", "sky blue"), ("केसरिया", "केसरिया", "saffron"),
    ("सुनहरा", "सुनहरा", "golden"), ("सुनहरी", "सुनहरा", "golden"), ("क्रीम", "क्रीम", "cream"),
    ("रंग-बिरंगा", "रंग-बिरंगा", "multicolour"), ("रंग बिरंगी", "रंग-बिरंगा", "multicolour"),
    ("रंगीन", "रंग-बिरंगा", "multicolour"), ("gulaabi", "गुलाबी", "pink"),
]


@pytest.mark.parametrize("text,value,english", COLOURS)
def test_colours(text, value, english):
    assert found(text, "colour") == [(value, english)]


@pytest.mark.parametrize("text,value,modifier", [
    ("गहरा नीला", "नीला", "गहरा"), ("गहरी नीली", "नीला", "गहरा"), ("हल्का हरा", "हरा", "हल्का"),
    ("हल्की गुलाबी", "गुलाबी", "हल्का"), ("gehra lal", "लाल", "गहरा"), ("dark blue", "नीला", "गहरा"),
])
def test_colour_modifiers_stay_in_the_entity(text, value, modifier):
    (e,) = [e for e in nlu.parse(text)["entities"] if e["entity"] == "colour"]
    assert (e["value"], e["modifier"], e["start"], e["end"]) == (value, modifier, 0, len(text))


@pytest.mark.parametrize("text", ["natural dye use kiya hai", "natural dyes only", "प्राकृतिक रंगाई है"])
def test_natural_dye_is_how_it_was_dyed_not_a_colour(text):
    assert found(text, "colour") == []


@pytest.mark.parametrize("text", ["natural colour ka jute bag", "natural rang ki tokri", "red dye kiya hai"])
def test_a_colour_stays_a_colour_beside_dye_words(text):
    assert found(text, "colour")


def test_light_alone_is_not_a_colour():
    assert found("हल्का है", "colour") == []


CRAFTS = [
    ("फुलकारी", "फुलकारी"), ("कढ़ाई", "कढ़ाई"), ("बुनाई", "बुनाई"), ("हथकरघा", "हथकरघा"),
    ("handloom", "हथकरघा"), ("मिट्टी के बर्तन", "कुम्हारी"), ("pottery", "कुम्हारी"),
    ("दरी बुनाई", "दरी बुनाई"), ("टोकरी बुनाई", "टोकरी बुनाई"), ("लकड़ी का काम", "लकड़ी का काम"),
    ("kadhai", "कढ़ाई"), ("embroidery", "कढ़ाई"),
]


@pytest.mark.parametrize("text,value", CRAFTS)
def test_crafts(text, value):
    assert [v for v, _ in found(text, "craft")] == [value]


DISTRICTS = [
    ("अंबाला", "अंबाला"), ("अम्बाला", "अंबाला"), ("Ambala", "अंबाला"), ("भिवानी", "भिवानी"),
    ("Bhiwani", "भिवानी"), ("चरखी दादरी", "चरखी दादरी"), ("Charkhi Dadri", "चरखी दादरी"),
    ("फरीदाबाद", "फरीदाबाद"), ("faridabad", "फरीदाबाद"), ("फतेहाबाद", "फतेहाबाद"),
    ("गुरुग्राम", "गुरुग्राम"), ("Gurgaon", "गुरुग्राम"), ("gurugram", "गुरुग्राम"),
    ("गुड़गांव", "गुरुग्राम"), ("हिसार", "हिसार"), ("Hissar", "हिसार"), ("झज्जर", "झज्जर"),
    ("जींद", "जींद"), ("jind", "जींद"), ("कैथल", "कैथल"), ("करनाल", "करनाल"), ("karnal", "करनाल"),
    ("कुरुक्षेत्र", "कुरुक्षेत्र"), ("kurukshetra", "कुरुक्षेत्र"), ("महेंद्रगढ़", "महेंद्रगढ़"),
    ("Mahendragarh", "महेंद्रगढ़"), ("नूंह", "नूंह"), ("Nuh", "नूंह"), ("Mewat", "नूंह"),
    ("मेवात", "नूंह"), ("पलवल", "पलवल"), ("पंचकूला", "पंचकूला"), ("panchkula", "पंचकूला"),
    ("पानीपत", "पानीपत"), ("Panipat", "पानीपत"), ("रेवाड़ी", "रेवाड़ी"), ("rewari", "रेवाड़ी"),
    ("रोहतक", "रोहतक"), ("rohtak", "रोहतक"), ("सिरसा", "सिरसा"), ("सोनीपत", "सोनीपत"),
    ("sonepat", "सोनीपत"), ("यमुनानगर", "यमुनानगर"), ("yamuna nagar", "यमुनानगर"),
    ("मैं पानीपत से हूं", "पानीपत"), ("hum rohtak ke hain", "रोहतक"), ("kurukshtra", "कुरुक्षेत्र"),
    ("panipath", "पानीपत"), ("yamunanagr", "यमुनानगर"),
]


@pytest.mark.parametrize("text,value", DISTRICTS)
def test_districts(text, value):
    assert [v for v, _ in found(text, "district")] == [value]


def test_gurgaon_has_english_name_gurugram():
    assert found("gurgaon", "district") == [("गुरुग्राम", "Gurugram")]


SENTENCES = [
    ("लाल सूती दरी", {"colour": "लाल", "material": "सूती", "product": "दरी"}),
    ("laal kapas ki dari", {"colour": "लाल", "material": "सूती", "product": "दरी"}),
    ("नीली रेशमी फुलकारी", {"colour": "नीला", "material": "रेशमी", "product": "फुलकारी", "craft": "फुलकारी"}),
    ("मिट्टी का घड़ा", {"material": "मिट्टी", "product": "घड़ा"}),
    ("चमड़े की जूती काली", {"material": "चमड़ा", "product": "जूती", "colour": "काला"}),
    ("ऊनी शॉल", {"material": "ऊनी", "product": "शॉल"}),
    ("bans ki tokri", {"material": "बांस", "product": "टोकरी"}),
    ("sarkanda ka moodha", {"material": "सरकंडा", "product": "मूढ़ा"}),
    ("hari jute ki tokri", {"colour": "हरा", "material": "जूट", "product": "टोकरी"}),
]


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_sentences(text, expected):
    ents = {e["entity"]: e["value"] for e in nlu.parse(text)["entities"]}
    assert ents == expected


NO_LEXICON = [
    "दादी", "दर", "डर", "do", "na", "ek", "हाँ", "खाना खा लिया", "darling", "lalach", "मलाल",
    "हरियाणा", "hello", "kaam", "बदलो", "ऊपर", "धन्यवाद",
]


@pytest.mark.parametrize("text", NO_LEXICON)
def test_short_and_unrelated_words_are_not_fuzzed(text):
    ents = [e for e in nlu.parse(text)["entities"]
            if e["entity"] in ("product", "material", "colour", "craft", "district")]
    assert ents == []
