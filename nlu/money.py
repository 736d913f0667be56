"""Reading amounts back to the artisan: 1250 -> "₹1,250 (एक हज़ार दो सौ पचास रुपये)"."""
from .numbers import english_words, hindi_words


def indian_grouping(n: int) -> str:
    """1250 -> "1,250"; 120000 -> "1,20,000"."""
    s = str(abs(int(n)))
    if len(s) > 3:
        head, tail = s[:-3], s[-3:]
        groups = []
        while len(head) > 2:
            head, groups = head[:-2], [head[-2:]] + groups
        s = ",".join([head] + groups + [tail])
    return ("-" if n < 0 else "") + s


def say_amount(amount: float, lang: str = "hi") -> str:
    """An amount in rupees as figures and words, for confirmation."""
    paise = round(float(amount) * 100)
    rupees, cents = divmod(abs(paise), 100)
    figure = "₹" + indian_grouping(rupees) + (f".{cents:02d}" if cents else "")
    if lang == "en":
        words = f"{english_words(rupees)} rupee{'' if rupees == 1 else 's'}"
        if cents:
            words += f" {english_words(cents)} paise"
    else:
        words = f"{hindi_words(rupees)} {'रुपया' if rupees == 1 else 'रुपये'}"
        if cents:
            words += f" {hindi_words(cents)} पैसे"
    return f"{figure} ({words})"
