"""Rupees as Indians write them: ₹1,20,000 (lakh grouping), and feed prices like "1200.00 INR"."""
from __future__ import annotations


def grouped(amount: float | int) -> str:
    """Indian digit grouping: the last three digits, then pairs (12,34,567); paise only when there are any."""
    amount = round(float(amount), 2)
    whole, paise = divmod(round(abs(amount) * 100), 100)
    digits = str(int(whole))
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    text = ",".join(([head] if head else []) + pairs + [tail])
    return ("-" if amount < 0 else "") + text + (f".{int(paise):02d}" if paise else "")


def rupees(amount: float | int | None) -> str:
    return "" if amount is None else "₹" + grouped(amount)


def feed_price(amount: float | int, currency: str = "INR") -> str:
    """Number, space, ISO 4217 code, period decimal and no symbol: "1200.00 INR" (Meta and Google)."""
    return f"{float(amount):.2f} {currency}"
