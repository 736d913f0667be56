"""Money, quantities and sizes: the values the listing flow asks for."""
import pytest

import nlu


def one(text, entity):
    found = [e for e in nlu.parse(text)["entities"] if e["entity"] == entity]
    assert len(found) == 1, (text, nlu.parse(text)["entities"])
    return found[0]


MONEY = [
    ("पांच सौ रुपये", 500), ("साढ़े तीन सौ रुपये", 350), ("500 रुपये", 500), ("500 रुपए", 500),
    ("500 रुपया", 500), ("500 रुपिया", 500), ("500 रु", 500), ("500 रु.", 500), ("₹500", 500),
    ("₹ 1,200", 1200), ("₹1,20,000", 120000), ("1200/-", 1200), ("1200 /-", 1200), ("Rs1200", 1200),
    ("Rs. 1200", 1200), ("rs 1200", 1200), ("RS.1200", 1200), ("INR 1500", 1500), ("1500 INR", 1500),
    ("1200 ka", 1200), ("1200 का", 1200), ("बारह सौ की", 1200), ("paanch sau rupay", 500),
    ("paanch sau rupaye", 500), ("500 rupees", 500), ("500 rs", 500), ("do hazaar rupaye", 2000),
    ("सौ रुपये", 100), ("एक रुपया", 1), ("डेढ़ हज़ार रुपये", 1500), ("ढाई सौ रुपये", 250),
    ("पौने दो सौ रुपये", 175), ("सवा सौ रुपये", 125), ("2.5 लाख रुपये", 250000), ("1.5k rs", 1500),
    ("५०० रुपये", 500), ("₹५००", 500), ("50 पैसे", 0.5), ("10 रुपये 50 पैसे", 10.5),
    ("12 रुपए 25 पैसे", 12.25), ("799.50 रुपये", 799.5), ("कीमत 800 रुपये", 800),
    ("इसकी कीमत पांच सौ रुपये है", 500), ("5 hazaar rupees", 5000), ("बारह सौ का एक", 1200),
    ("1200 में", 1200), ("rs 1,200/-", 1200), ("teen sau rs", 300), ("₹ 99", 99),
]


@pytest.mark.parametrize("text,value", MONEY)
def test_money(text, value):
    e = one(text, "amount_of_money")
    assert e["value"] == value and e["unit"] == "INR"


RATES = [
    ("500 रुपये प्रति मीटर", 500, "metre"), ("500 रुपये मीटर", 500, "metre"),
    ("500 per meter", 500, "metre"), ("500/meter", 500, "metre"), ("₹500/m", 500, "metre"),
    ("200 रुपये प्रति पीस", 200, "piece"), ("200 rs per piece", 200, "piece"),
    ("बारह सौ का एक", 1200, "piece"), ("300 रुपये का एक मीटर", 300, "metre"),
    ("150 रुपये किलो", 150, "kilogram"), ("800 रुपये जोड़ी", 800, "pair"),
    ("100 रुपये प्रति फुट", 100, "foot"), ("60 rupaye prati gaj", 60, "yard"),
    ("500 रुपये हर पीस", 500, "piece"),
]


@pytest.mark.parametrize("text,value,per", RATES)
def test_rates(text, value, per):
    e = one(text, "amount_of_money")
    assert (e["value"], e.get("per")) == (value, per)


def test_plain_price_has_no_rate():
    assert "per" not in one("500 रुपये", "amount_of_money")


def test_money_span_covers_the_phrase():
    text = "कीमत साढ़े तीन सौ रुपये है"
    e = one(text, "amount_of_money")
    assert text[e["start"]:e["end"]] == "साढ़े तीन सौ रुपये"


@pytest.mark.parametrize("text", [
    "पैसे दो", "रुपये", "paise chahiye", "₹", "rs", "2 का", "कितने रुपये", "500 मीटर",
])
def test_not_money(text):
    assert [e for e in nlu.parse(text)["entities"] if e["entity"] == "amount_of_money"] == []


QUANTITIES = [
    ("2 मीटर", 2, "metre"), ("2.5 मीटर की साड़ी", 2.5, "metre"), ("2 मी.", 2, "metre"),
    ("2 meter", 2, "metre"), ("3m", 3, "metre"), ("5 mtr", 5, "metre"), ("50 सेंटीमीटर", 50, "centimetre"),
    ("50 सेमी", 50, "centimetre"), ("50 cm", 50, "centimetre"), ("6 फुट", 6, "foot"),
    ("6 फीट", 6, "foot"), ("6 ft", 6, "foot"), ("6 feet", 6, "foot"), ("1 foot", 1, "foot"),
    ("6'", 6, "foot"), ("10 इंच", 10, "inch"), ("10 inch", 10, "inch"), ('10"', 10, "inch"),
    ("2 गज", 2, "yard"), ("2 yard", 2, "yard"), ("1 किलो", 1, "kilogram"), ("2 किग्रा", 2, "kilogram"),
    ("2 kg", 2, "kilogram"), ("आधा किलो", 0.5, "kilogram"), ("पाव किलो", 0.25, "kilogram"),
    ("500 ग्राम", 500, "gram"), ("500 gm", 500, "gram"), ("500g", 500, "gram"), ("12 पीस", 12, "piece"),
    ("12 piece", 12, "piece"), ("5 नग", 5, "piece"), ("10 pcs", 10, "piece"), ("2 जोड़ी", 2, "pair"),
    ("एक जोड़ी", 1, "pair"), ("2 pair", 2, "pair"), ("1 दर्जन", 12, "piece"), ("दो दर्जन", 24, "piece"),
    ("do piece", 2, "piece"), ("ek kilo", 1, "kilogram"), ("डेढ़ मीटर", 1.5, "metre"),
    ("ढाई गज", 2.5, "yard"), ("das meter", 10, "metre"), ("२ मीटर", 2, "metre"),
    ("मेरे पास 12 पीस हैं", 12, "piece"), ("half kg", 0.5, "kilogram"),
]


@pytest.mark.parametrize("text,value,unit", QUANTITIES)
def test_quantities(text, value, unit):
    e = one(text, "quantity")
    assert (e["value"], e["unit"]) == (value, unit)


SIZES = [
    ("6 बाई 4 फीट", 6, 4, None, "foot"), ("6 बाई 4", 6, 4, None, None), ("6x4", 6, 4, None, None),
    ("6x4 ft", 6, 4, None, "foot"), ("6 x 4 ft", 6, 4, None, "foot"), ("6X4 feet", 6, 4, None, "foot"),
    ("6 * 4 ft", 6, 4, None, "foot"), ("6×4 फुट", 6, 4, None, "foot"), ("छह बाई चार", 6, 4, None, None),
    ("छह बाई चार फीट", 6, 4, None, "foot"), ("6 फीट बाई 4 फीट", 6, 4, None, "foot"),
    ("लंबाई 6 चौड़ाई 4", 6, 4, None, None), ("लंबाई 6 फीट चौड़ाई 4 फीट", 6, 4, None, "foot"),
    ("लम्बाई 6 फुट और चौड़ाई 4 फुट", 6, 4, None, "foot"), ("lambai 6 chaudai 4", 6, 4, None, None),
    ("length 6 width 4 ft", 6, 4, None, "foot"), ("2 by 3 meter", 2, 3, None, "metre"),
    ("5 bai 3 feet", 5, 3, None, "foot"), ("do baai teen", 2, 3, None, None),
    ("180x120 cm", 180, 120, None, "centimetre"), ("2.5 x 1.5 मीटर", 2.5, 1.5, None, "metre"),
    ("12x12x6 इंच", 12, 12, 6, "inch"), ("लंबाई 10 चौड़ाई 10 ऊंचाई 5 इंच", 10, 10, 5, "inch"),
    ("साइज़ 6 बाई 4 फीट है", 6, 4, None, "foot"), ("६ बाई ४ फीट", 6, 4, None, "foot"),
    ("साढ़े पांच बाई तीन फीट", 5.5, 3, None, "foot"), ("6'x4'", 6, 4, None, "foot"),
    ("6 फुट लंबी 4 फुट चौड़ी", 6, 4, None, "foot"), ("6 feet lamba aur 4 feet chauda", 6, 4, None, "foot"),
    ("चौड़ाई 4 लंबाई 6 इंच", 6, 4, None, "inch"),
    ("6 लंबी 4 चौड़ी", 6, 4, None, None), ("6 lambi 4 chaudi hai", 6, 4, None, None),
]


@pytest.mark.parametrize("text,length,width,height,unit", SIZES)
def test_dimensions(text, length, width, height, unit):
    v = one(text, "dimensions")["value"]
    assert (v["length"], v["width"], v.get("height"), v["unit"]) == (length, width, height, unit)


@pytest.mark.parametrize("text", ["6 बाई 4 फीट", "6 feet lamba aur 4 feet chauda", "लंबाई 6 चौड़ाई 4"])
def test_size_does_not_leave_loose_numbers(text):
    ents = nlu.parse(text)["entities"]
    assert [e["entity"] for e in ents] == ["dimensions"]


def test_size_and_price_in_one_message():
    ents = {e["entity"]: e for e in nlu.parse("6x4 ft दरी 1500 रुपये")["entities"]}
    assert ents["dimensions"]["value"]["length"] == 6
    assert ents["amount_of_money"]["value"] == 1500
    assert ents["product"]["value"] == "दरी"


@pytest.mark.parametrize("amount,lang,said", [
    (1250, "hi", "₹1,250 (एक हज़ार दो सौ पचास रुपये)"),
    (1250, "en", "₹1,250 (one thousand two hundred fifty rupees)"),
    (1, "hi", "₹1 (एक रुपया)"), (1, "en", "₹1 (one rupee)"),
    (350, "hi", "₹350 (तीन सौ पचास रुपये)"), (120000, "hi", "₹1,20,000 (एक लाख बीस हज़ार रुपये)"),
    (120000, "en", "₹1,20,000 (one lakh twenty thousand rupees)"),
    (10.5, "hi", "₹10.50 (दस रुपये पचास पैसे)"), (10.5, "en", "₹10.50 (ten rupees fifty paise)"),
    (99, "hi", "₹99 (निन्यानवे रुपये)"), (4523523, "hi", "₹45,23,523 (पैंतालीस लाख तेईस हज़ार पांच सौ तेईस रुपये)"),
    (500, "hi", "₹500 (पांच सौ रुपये)"),
])
def test_say_amount(amount, lang, said):
    import unicodedata
    assert nlu.say_amount(amount, lang=lang) == unicodedata.normalize("NFC", said)


DOZENS = [("2 दर्जन", 24, 2), ("दो दर्जन", 24, 2), ("2 darjan", 24, 2), ("do darjan", 24, 2), ("1 dozen", 12, 1),
          ("ek darjan", 12, 1), ("एक दर्जन", 12, 1), ("3 dozen", 36, 3)]


@pytest.mark.parametrize("text,pieces,dozen", DOZENS)
def test_dozen_is_twelve_pieces(text, pieces, dozen):
    e = one(text, "quantity")
    assert (e["value"], e["unit"], e["dozen"]) == (pieces, "piece", dozen)


PRICE_WORD_MONEY = [("कीमत 900", 900), ("दाम 700", 700), ("price 1500", 1500), ("rate: 800", 800),
                    ("keemat 450 hai", 450), ("price is 1200", 1200), ("2 की कीमत 900 करो", 900)]


@pytest.mark.parametrize("text,value", PRICE_WORD_MONEY)
def test_number_after_a_price_word_is_money(text, value):
    e = one(text, "amount_of_money")
    assert e["value"] == value and e["unit"] == "INR"
