"""Write nlu/data/answers.yml: answers to every question, so a Rasa model learns `inform` as well as commands.

The built-in engine does not read answers.yml (nlu/lexicon.py reads its files by name); it is training data for a
Rasa model only. The answers are made from the lexicon files (products, materials, colours, crafts, districts,
person names) with fixed templates and a fixed seed, so running this again gives the same file:

    .venv/bin/python -m nlu.rasa.make_answers
"""
from __future__ import annotations

import random
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
OUT = DATA / "answers.yml"
SEED = 17


def _examples(text: str) -> list[str]:
    return [line.strip()[2:].strip() for line in text.splitlines() if line.strip().startswith("- ")]


def words(name: str) -> list[str]:
    """Every synonym example and lookup entry of a lexicon file."""
    doc = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    out: list[str] = []
    for block in doc["nlu"]:
        if "synonym" in block or "lookup" in block:
            out += [w for w in _examples(block["examples"]) if w and w not in out]
    return out


NAME_TEMPLATES = ["{n}", "मेरा नाम {n} है", "mera naam {n} hai", "my name is {n}", "{n} naam hai mera", "मैं {n}",
                  "ji {n}", "naam {n}", "I am {n}", "{n} हूँ"]
DISTRICT_TEMPLATES = ["{d}", "{d} से हूँ", "{d} se hu", "from {d}", "{d} जिला", "{d} district", "main {d} se hoon",
                      "{d} में रहती हूँ", "gaon {d} ke paas"]
CRAFT_TEMPLATES = ["{c}", "{c} का काम", "{c} ka kaam karti hu", "I do {c}", "{c} बनाती हूँ", "hum {c} karte hain"]
PRODUCT_TEMPLATES = ["{p}", "{p} है", "{p} bechni hai", "{m} की {p}", "{c} {p}", "{c} {m} {p}", "{p} banaya hai",
                     "ye {p} hai", "it is a {p}", "{m} ka {p} hai", "हाथ से बनी {p}"]
MATERIAL_TEMPLATES = ["{m}", "{m} का है", "{m} ki hai", "made of {m}", "{m} से बना", "पूरा {m}"]
COLOUR_TEMPLATES = ["{c}", "{c} रंग", "{c} rang ka", "{c} and {c2}", "{c} और {c2}", "colour {c}", "{c} wala"]
PRICE_TEMPLATES = ["{n} रुपये", "{n} rs", "₹{n}", "{n}/-", "{n} ka ek", "{n} की है", "price {n}", "Rs. {n} each",
                   "{n} रुपये का एक", "{n} mein de denge", "{w} रुपये", "{w} ka"]
PRICE_WORDS = ["पाँच सौ", "बारह सौ", "डेढ़ हज़ार", "साढ़े तीन सौ", "do hazaar", "paanch sau", "dedh hazaar",
               "sava do sau", "ek hazaar", "teen sau"]
QUANTITY_TEMPLATES = ["{n} पीस", "{n} piece", "{n} hain", "{n} बने हैं", "{n} pieces ready", "{w} पीस", "{w} hai",
                      "{n} जोड़ी", "{n} joda", "{n} दर्जन", "{n} meter"]
COUNT_WORDS = ["दो", "तीन", "पाँच", "दस", "do", "teen", "char", "das", "bees"]
SIZE_TEMPLATES = ["{a} बाई {b} फीट", "{a} by {b} feet", "{a}x{b} ft", "{a} बाई {b}", "{a} inch", "{a} इंच ऊँचा",
                  "लंबाई {a} फीट", "{a} meter lamba", "{a} cm", "free size", "size {a}"]
DESCRIPTIONS = [
    "हाथ से बुनी है, रंग पक्का है", "मेरी दादी ने सिखाया था यह काम", "पूरी तरह हाथ का काम है",
    "ek dam mazboot hai saalon chalegi", "haath ki kadhai hai", "shaadi mein dene ke liye achha hai",
    "handmade by the women of our village", "pure cotton, soft and washable", "natural colours only",
    "बारिश में भी खराब नहीं होती", "गर्मी में ठंडा रखता है", "is pe shisha ka kaam hai",
    "ghar ke aangan mein banaya", "har ek piece alag design ka hai", "purane tareeke se banaya",
    "ye dhone se rang nahi chhodta", "दो हफ्ते लगे बनाने में", "each piece takes a week to make",
    "traditional Haryanvi design", "gift ke liye perfect", "बच्चों के खेलने के लिए सुरक्षित",
    "मिट्टी की खुशबू आती है", "pani thanda rehta hai isme", "bahut halki hai uthane mein",
]
EXTRA = {
    "affirm": ["haan ji bilkul", "ha theek hai", "sahi hai ji", "yes correct", "ji haan sab sahi", "हाँ जी ठीक",
               "agree", "I agree", "ok ji", "haan chalega", "हाँ भेज दो", "yes please"],
    "deny": ["nahi ji", "na ji", "no no", "नहीं जी", "galat hai", "not correct", "नहीं सही नहीं है", "na"],
}


def answers(rnd: random.Random) -> dict[str, list[str]]:
    products = words("products.yml")
    materials = words("materials.yml")
    colours = words("colours.yml")
    crafts = words("crafts.yml")
    districts = words("districts.yml")
    names = [n.capitalize() for n in words("names.yml") if n.isascii()]
    made: list[str] = []

    def add(template: str, **fill) -> None:
        text = template.format(**fill)
        if text not in made:
            made.append(text)

    for _ in range(90):
        a, b = rnd.sample(names, 2)
        add(rnd.choice(NAME_TEMPLATES), n=rnd.choice([a, f"{a} {b}", f"{a} Devi", f"{a} Singh"]))
    for d in districts:
        add(rnd.choice(DISTRICT_TEMPLATES), d=d)
    for c in crafts:
        add(rnd.choice(CRAFT_TEMPLATES), c=c)
    for p in products:
        add(rnd.choice(PRODUCT_TEMPLATES), p=p, m=rnd.choice(materials), c=rnd.choice(colours))
    for m in materials:
        add(rnd.choice(MATERIAL_TEMPLATES), m=m)
    for c in colours:
        add(rnd.choice(COLOUR_TEMPLATES), c=c, c2=rnd.choice(colours))
    for _ in range(50):
        add(rnd.choice(PRICE_TEMPLATES), n=rnd.choice([80, 150, 250, 350, 400, 600, 750, 1200, 1500, 2200, 4500]),
            w=rnd.choice(PRICE_WORDS))
    for _ in range(35):
        add(rnd.choice(QUANTITY_TEMPLATES), n=rnd.randint(1, 40), w=rnd.choice(COUNT_WORDS))
    for _ in range(30):
        add(rnd.choice(SIZE_TEMPLATES), a=rnd.randint(2, 12), b=rnd.randint(2, 8))
    made += [d for d in DESCRIPTIONS if d not in made]
    return {"inform": made, **EXTRA}


def render(blocks: dict[str, list[str]]) -> str:
    lines = ["# Answers to the bot's questions (names, districts, crafts, products, materials, colours, sizes, prices,",
             "# quantities, descriptions), so a Rasa model trained on nlu/data learns answers as well as commands.",
             "# Made by nlu/rasa/make_answers.py from the lexicon files; the built-in engine does not read it.",
             'version: "3.1"', "nlu:"]
    for intent, examples in blocks.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples]
    return "\n".join(lines) + "\n"


def main() -> None:
    OUT.write_text(render(answers(random.Random(SEED))), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
