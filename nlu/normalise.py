"""Normalisation: fold text for matching while keeping every offset into the original."""
import re
import unicodedata

_DEV_DIGITS = {chr(0x0966 + i): str(i) for i in range(10)}
_NUKTA_LETTERS = dict(zip("\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f\u0929\u0931\u0934",
                          "\u0915\u0916\u0917\u091c\u0921\u0922\u092b\u092f\u0928\u0930\u0933"))
_DROP = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u0640\ufe0e\ufe0f\u093c\u200e\u200f") | {
    chr(c) for c in range(0x1F3FB, 0x1F400)}  # zero-width marks, nukta, tatweel, emoji modifiers
_MAP = {**_DEV_DIGITS, **_NUKTA_LETTERS, "\u0901": "\u0902", "\u00d7": "x", "\u2019": "'",
        "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2033": '"', "\u2032": "'"}
# One lookup for every character that folds to something fixed: dropped ones fold to "".
_FOLD = {**_MAP, **dict.fromkeys(_DROP, "")}

# Key folds that may change a word's length (applied per token, after offsets are fixed).
_DEV_VOWELS = str.maketrans({"\u0940": "\u093f", "\u0942": "\u0941", "\u0908": "\u0907",
                             "\u090a": "\u0909", "\u0903": ""})
_NASAL = re.compile("[\u0919\u091e\u0923\u0928\u092e]\u094d(?=[\u0915-\u0939])")
_DOUBLE = re.compile(r"([a-z])\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")


def _fold_char(c: str) -> str:
    """One original character to zero or one normalised character."""
    folded = _FOLD.get(c)
    if folded is not None:
        return folded
    if c < "\u0080" or "\u0900" <= c <= "\u097f":
        return c.lower()
    compatible = unicodedata.normalize("NFKC", c).lower()  # full-width "Ｒ" -> "r"; a ligature ("ﬁ") stays
    return compatible if len(compatible) == 1 else c


def normalise(text: str) -> tuple[str, list[int]]:
    """Return the folded text and, for each of its characters, the index in `text`."""
    folded, origin = [], []
    for i, char in enumerate(text):
        kept = _fold_char(char)
        if kept:  # a dropped character leaves no trace, so offsets skip it
            folded.append(kept)
            origin.append(i)
    return "".join(folded), origin


def _key(word: str) -> str:
    """Spelling folds of one word, without the dialect table."""
    return _devanagari_key(word) if "\u0900" <= word[:1] <= "\u097f" else _roman_key(word)


def _devanagari_key(word: str) -> str:
    """Long vowels as short ones, a nasal consonant before another as anusvara: "मीठी" = "मिठि", "रन्ग" = "रंग"."""
    return _NASAL.sub("\u0902", word.translate(_DEV_VOWELS))


def _roman_key(word: str) -> str:
    """Roman Hindi is spelt many ways: "neela"/"nila", "phool"/"fool", "wala"/"vala", "rakkha"/"rakha"."""
    if not (word.isascii() and word.isalpha()):
        return word
    word = word.replace("ee", "i").replace("oo", "u").replace("ph", "f")
    word = word.replace("w", "v").replace("z", "j").replace("q", "k")
    return _FINAL_H.sub("", _DOUBLE.sub(r"\1", word))


# Haryanvi forms read as the Hindi word they stand for (सै = है, कोनी = नहीं, बेरा = पता, धोरै = पास).
_HARYANVI = {"सै": "है", "सैं": "हैं", "सूं": "हूं", "म्हारा": "हमारा", "म्हारी": "हमारी", "म्हारे": "हमारे",
             "म्हारै": "हमारे", "थारा": "तुम्हारा", "थारी": "तुम्हारी", "थारे": "तुम्हारे", "थारै": "तुम्हारे",
             "कोनी": "नहीं", "कोन्या": "नहीं", "बेरा": "पता", "धोरै": "पास", "धोरे": "पास", "मन्नै": "मुझे", "मन्ने": "मुझे",
             "म्हनै": "मुझे", "तन्नै": "तुम्हें", "तै": "से", "पै": "पर", "आगै": "आगे", "पाछै": "पीछे", "पाछे": "पीछे",
             "यो": "ये", "आली": "वाली", "आला": "वाला", "आले": "वाले", "गी": "गई", "करणा": "करना", "करणी": "करनी",
             "बेचणा": "बेचना", "बेचणी": "बेचनी", "बेचण": "बेचने", "रहण": "रहने", "घणा": "बहुत", "घणी": "बहुत", "घणे": "बहुत",
             "कोनी।": "नहीं", "अर": "और", "ईब": "अब", "इब": "अब", "ठीक सै": "ठीक है",
             "koni": "nahi", "bera": "pata", "mhara": "hamara", "mhari": "hamari", "mhare": "hamare", "thara": "tumhara",
             "manne": "mujhe", "ghana": "bahut", "ghani": "bahut", "kon": "kaun"}
_DIALECT = {_key(haryanvi): _key(hindi) for haryanvi, hindi in _HARYANVI.items()}


def key(word: str) -> str:
    """Matching key for one word: Devanagari vowel-length/nasal folds, Roman spelling folds, Haryanvi forms."""
    folded = _key(word)
    return _DIALECT.get(folded, folded)


def phrase_key(text: str) -> tuple[str, ...]:
    """Keys of every word in a phrase (used for data files)."""
    from .tokens import tokenize
    return tuple(t.key for t in tokenize(text) if t.kind != "p" or t.key not in "-,.'")
