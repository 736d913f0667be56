"""Issue 17: money in every form, units of sale, quantities, trap numbers, sizes that are not length × width,
values taken back, and the doubt flag. Our own cases (the issue's examples and more), not corpus lines."""
import pytest

import nlu


def ents(text, name):
    return [e for e in nlu.parse(text)["entities"] if e["entity"] == name]


def money(text):
    found = ents(text, "amount_of_money")
    return (found[0]["value"], found[0].get("per")) if found else None


PRICES = [
    ("1500/-", 1500, None), ("₹1,500", 1500, None), ("पंद्रह सौ रुपये", 1500, None), ("dedh hazaar rs", 1500, None),
    ("sava do sau rupaye", 225, None), ("साढ़े चार सौ रुपये", 450, None), ("साडे पांच हजार रुपये", 5500, None),
    ("gyarah so rupay", 1100, None), ("tera so rupaye", 1300, None), ("paune teen sau rs", 275, None),
    ("Rs. 350 each", 350, "piece"), ("700 ki hai", 700, None), ("मार्केट में 2000 की, हम 1500 में देंगे", 1500, None),
    ("बाजार में 900 का बिकता है, मैं 750 में दूंगी", 750, None), ("shop pe 1500 ka hai, aapke yaha 1200 rakh do", 1200, None),
    ("80 रुपये मीटर", 80, "metre"), ("400 per pair", 400, "pair"), ("दर्जन के 600", 600, "dozen"),
    ("darjan 80 ka", 80, "dozen"), ("120 rupay kilo", 120, "kilogram"), ("4 ka set 299", 299, "set"),
    ("सेट के 2500", 2500, "set"), ("एक जोड़ी 550 की", 550, "pair"), ("per meter 140 rupees", 140, "metre"),
    ("1500 for the set", 1500, "set"), ("800 for a pair", 800, "pair"), ("180 each", 180, "piece"),
    ("MRP 999", 999, None), ("price galat h 1300 karo", 1300, None), ("थारे म्ह कीमत गलत लिखी सै, 1300 कर", 1300, None),
    ("300 रुपये एक का", 300, "piece"), ("tawa 12 inch 350 rs 30 h", 350, None), ("सत्रह सौ रुपये जोड़ी", 1700, "pair"),
    ("do hajar rupye ka set", 2000, "set"), ("सवा लाख रुपये", 125000, None), ("800 rs pura set", 800, "set"),
    ("ढाई हजार का पूरा सेट", 2500, "set"), ("kimat 1200 se kam nahi", 1200, None), ("पौने दो सौ रुपये जोड़ी", 175, "pair"),
    ("550/- जोड़ी", 550, "pair"), ("1001 shagun wala rate", 1001, None), ("450 ka rate", 450, None), ("850 रुपए प्रति दर्जन", 850, "dozen"), ("35 rupay ka ek diya", 35, "piece"),
]


@pytest.mark.parametrize("text,value,per", PRICES)
def test_price(text, value, per):
    assert money(text) == (value, per)


NUMBERS = [("पंद्रह सौ", 1500), ("dedh hazaar", 1500), ("sava do sau", 225), ("साढ़े चार सौ", 450),
           ("साडे पांच हजार", 5500), ("paune teen sau", 275), ("sadhe teen so", 350), ("eight", 8),
           ("1200 नहीं, 1500", 1500), ("pehle 800 bola tha, 700 rakh lo", 700), ("do din me aur bana dungi", 2),
           ("abhi ek photo aur", 1), ("2 photo bheji", 2), ("3 litre wali", 3), ("एक मूर्ति में 10 दिन", 10)]


@pytest.mark.parametrize("text,value", NUMBERS)
def test_bare_number_is_a_number_not_a_price(text, value):
    found = ents(text, "number")
    assert [e["value"] for e in found][:1] == [value]
    assert not ents(text, "amount_of_money") and not ents(text, "quantity")


@pytest.mark.parametrize("text", ["ek number ka maal", "दोसूती खेस", "hata do", "bhej do", "so nice",
                                  "लाख की चूड़ियां", "lakh ki chudiyan", "ek baar aur batao", "एक बार और", "दो सूती धागे", "do suti dari"])
def test_words_that_are_not_numbers(text):
    p = nlu.parse(text)
    assert not [e for e in p["entities"] if e["entity"] in ("number", "amount_of_money", "quantity")], p


QUANTITIES = [
    ("do darjan", 24, "piece", 2), ("do darjan jodi", 24, "pair", 2), ("बीस जोड़ी", 20, "pair", None),
    ("25 piece available hain", 25, "piece", None), ("30 मीटर का थान", 30, "metre", None),
    ("मटके 20 हैं", 20, None, None), ("अभी 3 हैं", 3, None, None), ("matke h 50", 50, None, None),
    ("एक ही है", 1, None, None), ("ek hi h", 1, None, None), ("stock me 8 available", 8, None, None),
    ("गिनती 12 कर दो", 12, None, None), ("update quantity to 8", 8, None, None), ("ek set", 1, "set", None),
    ("do razai h laal", 2, None, None), ("म्हारे धोरै छह सैं", 6, None, None),
    ("5 woollen shawls, grey, Rs 1800 each", 5, None, None),
]


@pytest.mark.parametrize("text,value,unit,dozen", QUANTITIES)
def test_quantity(text, value, unit, dozen):
    q = ents(text, "quantity")
    assert q, nlu.parse(text)
    assert (q[0]["value"], q[0].get("unit"), q[0].get("dozen")) == (value, unit, dozen)


@pytest.mark.parametrize("text", ["50 मीटर कपड़ा है", "50 meter kapda h", "40 metres in stock", "30 मीटर का थान",
                                  "120 per meter 50 meter available"])
def test_metres_on_hand_are_stock_not_a_size(text):
    q = [e for e in ents(text, "quantity") if e.get("unit") == "metre"]
    assert q and q[0]["measure"] == "stock"


@pytest.mark.parametrize("text", ["ढाई मीटर", "2.5 metres long", "phulkari dupatta gulabi 2.25 meter 1800 rs"])
def test_a_length_is_not_stock(text):
    q = [e for e in ents(text, "quantity") if e.get("unit") == "metre"]
    assert q and "measure" not in q[0]


@pytest.mark.parametrize("text", ["12 bangles in one set", "एक मूर्ति में 10 दिन", "ek piece banane me 2 din lagte h",
                                  "Takes about 3 weeks to make one piece", "2 photo bheji", "5 का सेट भी दे सकते हैं",
                                  "andar 7 katori", "andar 7 katori hain", "500 है",
                                  "takes about 3 weeks for one piece"])
def test_trap_numbers_are_no_quantity_or_price(text):
    assert not ents(text, "quantity") and not ents(text, "amount_of_money")


@pytest.mark.parametrize("text,value,unit", [("सवा फुट", 1.25, "foot"), ("पौने मीटर", 0.75, "metre")])
def test_a_fraction_alone_before_a_unit(text, value, unit):
    q = ents(text, "quantity")
    assert (q[0]["value"], q[0]["unit"]) == (value, unit)


def test_rui_inside_a_razai_is_not_its_price():
    assert money("razai hai 4 kilo rui bhari hai 1200 ki") == (1200, None)


@pytest.mark.parametrize("text", ["haath ki bani razai h 4 kilo rui ki, 1200 ki ek, 10 h", "4 kilo desi rui, haath se bhari"])
def test_what_a_thing_is_made_of_is_content_not_stock(text):
    kg = [e for e in ents(text, "quantity") if e.get("unit") == "kilogram"]
    assert kg and kg[0]["measure"] == "content"


@pytest.mark.parametrize("text", ["40 किलो बाण है", "munj ka baan 120 rupay kilo 40 kilo h", "आधा किलो"])
def test_kilos_on_hand_are_not_content(text):
    kg = [e for e in ents(text, "quantity") if e.get("unit") == "kilogram"]
    assert kg and "measure" not in kg[0]


@pytest.mark.parametrize("text,per,count", [("do darjan", "dozen", 2), ("do darjan jodi", "pair", 24),
                                            ("बीस जोड़ी", "pair", 20), ("50 मीटर कपड़ा है", "metre", 50)])
def test_quantity_in_its_unit_of_sale(text, per, count):
    q = ents(text, "quantity")[0]
    assert (q["per"], q["count"]) == (per, count)


def test_listing_number_before_a_price_word_is_no_price():
    p = nlu.parse("2 की कीमत 900 करो")
    assert [e["value"] for e in p["entities"] if e["entity"] == "amount_of_money"] == [900]
    assert [e["value"] for e in p["entities"] if e["entity"] == "listing_number"] == [2]


SIZES = [("3 गुणा 5 फीट", 3, 5, "foot"), ("ढाई मीटर लंबा, सवा मीटर चौड़ा", 2.5, 1.25, "metre"),
         ("6 foot lambi 4 foot chodi", 6, 4, "foot"), ("dhai meter lamba sawa meter chauda", 2.5, 1.25, "metre"), ("size 6x4 nahi 7x4 feet hai", 7, 4, "foot"),
         ("6 by 4 nahi, 5 by 3 h", 5, 3, None), ("तीन गुना चार", 3, 4, None)]


@pytest.mark.parametrize("text,length,width,unit", SIZES)
def test_size(text, length, width, unit):
    d = ents(text, "dimensions")
    assert len(d) == 1 and (d[0]["value"]["length"], d[0]["value"]["width"], d[0]["value"]["unit"]) == \
        (length, width, unit)
    assert not ents(text, "number")


KINDS = [("6 से 10 नंबर", "shoe", {"sizes": [6, 10]}), ("6 to 10 number", "shoe", {"sizes": [6, 10]}),
         ("UK 7", "shoe", {"sizes": [7], "system": "UK"}), ("free size", "free", {}), ("फ्री साइज है", "free", {}),
         ("S M L", "letters", {"sizes": ["S", "M", "L"]}), ("size M", "letters", {"sizes": ["M"]}),
         ("10 लीटर", "capacity", {"amount": 10, "unit": "litre"}), ("1 litre", "capacity", {"amount": 1, "unit": "litre"}),
         ("बच्चों का साइज", "kids", {})]


@pytest.mark.parametrize("text,kind,extra", KINDS)
def test_sizes_that_are_not_length_by_width(text, kind, extra):
    k = ents(text, "size_kind")
    assert len(k) == 1 and k[0]["value"] == kind
    assert {key: k[0].get(key) for key in extra} == extra
    assert not ents(text, "dimensions")


@pytest.mark.parametrize("text", ["नाप का पता नहीं", "pata nahi", "नाप नहीं पता", "maloom nahi", "2 m"])
def test_no_size_from_dont_know(text):
    assert not ents(text, "dimensions") and not ents(text, "size_kind")


@pytest.mark.parametrize("text", ["gyarah so rupay", "साडे पांच हजार रुपये", "dedh hazaar rs", "12 सौ रुपये",
                                  "मार्केट में 2000 की, हम 1500 में देंगे", "tera so rupaye"])
def test_doubtful_money_is_marked(text):
    assert ents(text, "amount_of_money")[0].get("uncertain") is True


@pytest.mark.parametrize("text", ["1500/-", "₹1,500", "Rs 800", "400 per pair", "700 ki hai"])
def test_plain_money_is_not_doubted(text):
    assert "uncertain" not in ents(text, "amount_of_money")[0]
