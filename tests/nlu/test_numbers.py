"""Numbers as artisans write them: words in both scripts, digits, multipliers, fractions, ordinals."""
import pytest

import nlu


def values(text, entity="number"):
    return [e["value"] for e in nlu.parse(text)["entities"] if e["entity"] == entity]


CARDINALS = [
    ("शून्य", 0), ("एक", 1), ("दो", 2), ("तीन", 3), ("चार", 4), ("पांच", 5), ("पाँच", 5), ("छह", 6),
    ("छः", 6), ("छे", 6), ("सात", 7), ("आठ", 8), ("नौ", 9), ("दस", 10), ("ग्यारह", 11), ("बारह", 12),
    ("तेरह", 13), ("चौदह", 14), ("पंद्रह", 15), ("पन्द्रह", 15), ("सोलह", 16), ("सत्रह", 17),
    ("अठारह", 18), ("अट्ठारह", 18), ("उन्नीस", 19), ("बीस", 20), ("इक्कीस", 21), ("बाईस", 22),
    ("तेईस", 23), ("चौबीस", 24), ("पच्चीस", 25), ("छब्बीस", 26), ("सत्ताईस", 27), ("अट्ठाईस", 28),
    ("उनतीस", 29), ("तीस", 30), ("इकतीस", 31), ("इकत्तीस", 31), ("बत्तीस", 32), ("तैंतीस", 33),
    ("चौंतीस", 34), ("पैंतीस", 35), ("छत्तीस", 36), ("सैंतीस", 37), ("अड़तीस", 38), ("उनतालीस", 39),
    ("चालीस", 40), ("इकतालीस", 41), ("बयालीस", 42), ("तैंतालीस", 43), ("चौवालीस", 44),
    ("पैंतालीस", 45), ("छियालीस", 46), ("सैंतालीस", 47), ("अड़तालीस", 48), ("उनचास", 49),
    ("पचास", 50), ("इक्यावन", 51), ("बावन", 52), ("तिरपन", 53), ("चौवन", 54), ("पचपन", 55),
    ("छप्पन", 56), ("सत्तावन", 57), ("अट्ठावन", 58), ("उनसठ", 59), ("साठ", 60), ("इकसठ", 61),
    ("बासठ", 62), ("तिरसठ", 63), ("तिरेसठ", 63), ("चौंसठ", 64), ("पैंसठ", 65), ("छियासठ", 66),
    ("सड़सठ", 67), ("अड़सठ", 68), ("उनहत्तर", 69), ("सत्तर", 70), ("इकहत्तर", 71), ("बहत्तर", 72),
    ("तिहत्तर", 73), ("चौहत्तर", 74), ("पचहत्तर", 75), ("छिहत्तर", 76), ("सतहत्तर", 77),
    ("अठहत्तर", 78), ("उन्यासी", 79), ("अस्सी", 80), ("इक्यासी", 81), ("बयासी", 82), ("तिरासी", 83),
    ("चौरासी", 84), ("पचासी", 85), ("छियासी", 86), ("सत्तासी", 87), ("अट्ठासी", 88), ("नवासी", 89),
    ("नब्बे", 90), ("इक्यानवे", 91), ("इक्यानबे", 91), ("बानवे", 92), ("तिरानवे", 93),
    ("चौरानवे", 94), ("पचानवे", 95), ("पंचानबे", 95), ("छियानवे", 96), ("सत्तानवे", 97),
    ("अट्ठानवे", 98), ("निन्यानवे", 99), ("निन्यानबे", 99),
]


@pytest.mark.parametrize("text,value", CARDINALS)
def test_cardinal_words(text, value):
    assert values(text) == [value]


ROMAN_AND_ENGLISH = [
    ("ek", 1), ("do", 2), ("teen", 3), ("char", 4), ("chaar", 4), ("paanch", 5), ("panch", 5),
    ("pach", 5), ("chhah", 6), ("che", 6), ("saat", 7), ("aath", 8), ("nau", 9), ("das", 10),
    ("gyarah", 11), ("barah", 12), ("baara", 12), ("chauda", 14), ("chaudah", 14), ("pandrah", 15), ("solah", 16), ("atharah", 18),
    ("bees", 20), ("pachchis", 25), ("pachees", 25), ("tees", 30), ("chalis", 40), ("chaalees", 40),
    ("pachas", 50), ("pachaas", 50), ("saath", 60), ("sattar", 70), ("assi", 80), ("nabbe", 90),
    ("ninyanve", 99), ("five", 5), ("twelve", 12), ("forty", 40), ("zero", 0),
    ("paanch sau", 500), ("do hazaar", 2000), ("teen lakh", 300000), ("barah sau", 1200),
    ("dedh hazaar", 1500), ("dhai sau", 250), ("sava sau", 125), ("saadhe teen sau", 350),
    ("paune do sau", 175), ("ek crore", 10000000), ("five hundred", 500),
    ("two thousand five hundred", 2500), ("one lakh", 100000), ("PAANCH SAU", 500),
    ("twenty five", 25), ("twenty-five", 25), ("two hundred and fifty", 250), ("ninety nine", 99),
    ("one thousand two hundred fifty", 1250),
]


@pytest.mark.parametrize("text,value", ROMAN_AND_ENGLISH)
def test_roman_and_english_numbers(text, value):
    assert values(text) == [value]


COMPOUNDS = [
    ("सौ", 100), ("एक सौ", 100), ("दो सौ", 200), ("बारह सौ", 1200), ("12 सौ", 1200), ("12सौ", 1200),
    ("पांच सौ", 500), ("बारह सौ पचास", 1250), ("एक हज़ार", 1000), ("एक हजार", 1000), ("हज़ार", 1000),
    ("दो हज़ार पांच सौ", 2500), ("पांच हजार", 5000), ("5 hazaar", 5000), ("5 हज़ार 500", 5500),
    ("एक लाख", 100000), ("एक लाख़", 100000), ("दो लाख बीस हज़ार", 220000), ("1 लाख 20 हज़ार", 120000),
    ("2.5 लाख", 250000), ("2.5 lakh", 250000), ("एक करोड़", 10000000), ("दो करोड", 20000000),
    ("एक अरब", 1000000000), ("1.5k", 1500), ("5k", 5000), ("10 k", 10000),
    ("तीन सौ पैंसठ", 365), ("नौ सौ निन्यानवे", 999), ("उन्नीस सौ", 1900), ("पच्चीस सौ", 2500),
    ("एक हज़ार एक", 1001), ("सात लाख पचास हज़ार", 750000), ("दस हज़ार", 10000),
    ("पचास हज़ार", 50000), ("4 lakh", 400000), ("1 crore", 10000000), ("अढ़ाई सौ", 250),
]


@pytest.mark.parametrize("text,value", COMPOUNDS)
def test_multipliers(text, value):
    assert values(text) == [value]


FRACTIONS = [
    ("सवा सौ", 125), ("सवा दो सौ", 225), ("सवा हज़ार", 1250), ("सवा लाख", 125000), ("सवा दो", 2.25),
    ("साढ़े तीन सौ", 350), ("साढे तीन सौ", 350), ("साढ़े चार हज़ार", 4500), ("साढ़े तीन", 3.5),
    ("साढ़े पांच लाख", 550000), ("पौने दो सौ", 175), ("पौने तीन हज़ार", 2750), ("पौने सौ", 75),
    ("पौने चार", 3.75), ("डेढ़", 1.5), ("डेढ", 1.5), ("डेढ़ सौ", 150), ("डेढ़ हज़ार", 1500),
    ("डेढ़ लाख", 150000), ("ढाई", 2.5), ("ढाई सौ", 250), ("ढाई हज़ार", 2500), ("आधा", 0.5),
    ("पाव", 0.25), ("sawa sau", 125), ("sadhe char sau", 450), ("dhaai hazaar", 2500),
]


@pytest.mark.parametrize("text,value", FRACTIONS)
def test_fractions(text, value):
    assert values(text) == [value]


DIGITS = [
    ("500", 500), ("0", 0), ("1200", 1200), ("1,200", 1200), ("1,20,000", 120000),
    ("4,23,523", 423523), ("12,34,567", 1234567), ("120,000", 120000), ("1,200,000", 1200000),
    ("2.5", 2.5), ("1200.50", 1200.5), ("५००", 500), ("१२००", 1200), ("१,२०,०००", 120000),
    ("२.५", 2.5), ("०", 0), ("99", 99), ("बस 700", 700), ("700 hai", 700),
    ("\u0968\u096b\u0966", 250), ("1\u200b200", 1200),
]


@pytest.mark.parametrize("text,value", DIGITS)
def test_digits_and_grouping(text, value):
    assert values(text) == [value]


def test_bad_grouping_is_two_numbers():
    assert values("10,20") == [10, 20]


ORDINALS = [
    ("पहला", 1), ("पहली", 1), ("पहले वाला", 1), ("दूसरा", 2), ("दूसरी", 2), ("दूसरे", 2),
    ("तीसरा", 3), ("तीसरी वाली", 3), ("चौथा", 4), ("चौथी", 4), ("पांचवां", 5), ("पाँचवाँ", 5),
    ("पांचवीं", 5), ("छठा", 6), ("छठी", 6), ("सातवां", 7), ("आठवां", 8), ("नौवां", 9),
    ("दसवां", 10), ("दसवीं", 10), ("ग्यारहवां", 11), ("बीसवां", 20), ("5वां", 5), ("5वीं", 5),
    ("2वां", 2), ("1st", 1), ("2nd", 2), ("3rd", 3), ("4th", 4), ("10th", 10), ("pehla", 1),
    ("pehli", 1), ("dusra", 2), ("doosri", 2), ("teesra", 3), ("first", 1), ("second", 2),
    ("third", 3), ("५वां", 5),
]


@pytest.mark.parametrize("text,value", ORDINALS)
def test_ordinals(text, value):
    assert values(text, "ordinal") == [value]
    assert values(text) == []


NOT_NUMBERS = [
    "मुझे दो", "कीमत बदल दो", "paise do", "mujhe do", "hata do", "बता दो",
    "ek sawal hai", "एक बात बतानी है", "ek baat", "सौदा पक्का", "sauda", "ekdam sahi", "एकदम सही",
    "दोनों", "dono", "सातों", "panchayat", "dastkari", "saath mein", "mere saath", "tera naam kya hai", "bara accha hai",
    "सवा", "साढ़े", "पौने", "sadak", "tin ki chhat", "saugandh", "dosti", "ekta",
    "नमस्ते", "हाँ", "k", "ok", "ठीक है",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(text):
    assert values(text) == []


CONTEXT_NUMBERS = [
    ("do dari", [2]), ("पांच हज़ार दो", [5000]), ("दो दरी", [2]), ("do piece", []), ("ek hazaar", [1000]),
    ("मुझे दो दरी चाहिए", [2]), ("दो", [2]), ("do", [2]), ("ek", [1]), ("saath", [60]),
]


@pytest.mark.parametrize("text,expected", CONTEXT_NUMBERS)
def test_ambiguous_words_in_context(text, expected):
    assert values(text) == expected


def test_do_piece_is_a_quantity_of_two():
    assert values("do piece", "quantity") == [2]


def test_two_numbers_stay_apart():
    assert values("500 600") == [500, 600]


@pytest.mark.parametrize("n,words", [
    (0, "शून्य"), (1, "एक"), (6, "छह"), (15, "पंद्रह"), (99, "निन्यानवे"), (100, "एक सौ"),
    (1250, "एक हज़ार दो सौ पचास"), (120000, "एक लाख बीस हज़ार"), (10000000, "एक करोड़"),
    (2500, "दो हज़ार पांच सौ"), (350, "तीन सौ पचास"), (100000, "एक लाख"),
])
def test_hindi_words(n, words):
    import unicodedata
    assert nlu.hindi_words(n) == unicodedata.normalize("NFC", words)


@pytest.mark.parametrize("n,words", [
    (0, "zero"), (15, "fifteen"), (42, "forty two"), (1250, "one thousand two hundred fifty"),
    (120000, "one lakh twenty thousand"), (10000000, "one crore"),
])
def test_english_words(n, words):
    assert nlu.english_words(n) == words


@pytest.mark.parametrize("n", [0, 1, 7, 13, 99, 100, 101, 999, 1250, 40000, 123456, 9876543, 20000000])
def test_hindi_words_read_back(n):
    assert values(nlu.hindi_words(n)) == [n]


@pytest.mark.parametrize("text,ordinals", [
    ("पहले फोटो भेजो", []), ("pehle photo bhejo", []), ("सबसे पहले फोटो भेजो", []), ("पहले बताओ", []),
    ("पहले वाला", [1]), ("pehle wala", [1]), ("पहले", [1]), ("पहली दरी", [1]), ("pehli wali", [1]),
])
def test_pehle_is_before_unless_it_picks_one(text, ordinals):
    assert [e["value"] for e in nlu.parse(text)["entities"] if e["entity"] == "ordinal"] == ordinals
