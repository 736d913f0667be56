"""eBay's side of a price: from a buyer's price P (USD, postage built in) to the rupees the artisan receives, and
the least price ending in .99 whose payout is at least what they asked.

payout(P) = (P − final value fee − per-order fee − international fee − currency conversion) × rupees per dollar
            − postage. The two percentage fees are charged on the total of the sale, which includes the US sales tax
eBay collects (`fee_base_tax_pct`); each fee is rounded UP to the cent, so the payout shown is never too high.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from marketplace.price_schedule import figure_value

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Fees:
    """eBay's figures for one listing (its category's final value fee), as Decimals."""

    fvf_pct: Decimal
    per_order_small: Decimal
    per_order_large: Decimal
    small_up_to: Decimal
    international_pct: Decimal
    conversion_pct: Decimal
    tax_pct: Decimal
    rate: Decimal  # rupees per dollar
    ending: Decimal
    step: Decimal
    minimum: Decimal

    @classmethod
    def of(cls, entry: dict, rate: float, category: str | None) -> Fees:
        fvf = entry["final_value_fee_pct"]
        per_order, ending = entry["per_order_fee"], entry["price_ending"]
        return cls(fvf_pct=_dec((fvf.get("by_category") or {}).get(category) or fvf["default"]),
                   per_order_small=_dec(per_order["small"]), per_order_large=_dec(per_order["large"]),
                   small_up_to=Decimal(str(per_order["small"].get("up_to", 10))),
                   international_pct=_dec(entry["international_fee_pct"]),
                   conversion_pct=_dec(entry["currency_conversion_pct"]),
                   tax_pct=_dec(entry.get("fee_base_tax_pct", 0)), rate=Decimal(str(rate)),
                   ending=Decimal(str(ending.get("ending", "0.99"))), step=Decimal(str(ending.get("step", 1))),
                   minimum=Decimal(str(ending.get("minimum", "0.99"))))


def _dec(figure) -> Decimal:
    return Decimal(str(figure_value(figure)))


def _up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_CEILING)


def charges(price: Decimal, fees: Fees) -> dict[str, Decimal]:
    """Each of eBay's charges on a sale at `price`, in dollars."""
    total = price * (1 + fees.tax_pct / 100)  # the "total amount of the sale" eBay's percentages apply to
    per_order = fees.per_order_small if total <= fees.small_up_to else fees.per_order_large
    fvf = _up(total * fees.fvf_pct / 100)
    international = _up(total * fees.international_pct / 100)
    conversion = _up((price - fvf - per_order - international) * fees.conversion_pct / 100)
    return {"final_value_fee": fvf, "per_order_fee": per_order, "international_fee": international,
            "currency_conversion": conversion}


def payout(price: Decimal, fees: Fees, postage_inr: Decimal) -> Decimal:
    """The rupees left for the artisan from a sale at `price` (to the paisa, rounded down)."""
    net = price - sum(charges(price, fees).values())
    return (net * fees.rate - postage_inr).quantize(CENT, rounding=ROUND_FLOOR)


def price_for(asked_inr: Decimal, fees: Fees, postage_inr: Decimal) -> Decimal:
    """The least price on the .99 grid whose payout is at least `asked_inr`."""
    keep = 1 - (fees.fvf_pct + fees.international_pct) * (1 + fees.tax_pct / 100) / 100
    needed = ((asked_inr + postage_inr) / fees.rate / (1 - fees.conversion_pct / 100) + fees.per_order_large) / keep
    price = _on_grid(needed, fees)
    while payout(price, fees, postage_inr) < asked_inr:  # the fees' rounding up may want one more step
        price += fees.step
    while price - fees.step >= fees.minimum and payout(price - fees.step, fees, postage_inr) >= asked_inr:
        price -= fees.step  # the estimate took the larger per-order fee: a step lower may already do
    return price


def _on_grid(amount: Decimal, fees: Fees) -> Decimal:
    """The first price ending in `ending` (34.99, 35.99 …) at or above `amount`, and at least the minimum."""
    steps = ((amount - fees.ending) / fees.step).to_integral_value(rounding=ROUND_CEILING)
    return max(fees.ending + max(steps, Decimal(0)) * fees.step, fees.minimum)
