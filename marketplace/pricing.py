"""The price model per sales channel: the artisan's rupees are what they RECEIVE; each channel's buyer price is
made from them by the channel's entry in the price schedule (marketplace/data/price_schedule.yml).

`quote(channel, asked_inr, product, fields, settings)` gives the buyer's price with its breakdown: every fee,
postage, the rate, and the payout recomputed from the price (never below what was asked). eBay's publish, the
helpdesk's listing card, the storefront's "≈ US$" and the artisan's summary all use it, so they agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from marketplace import ebay_fees, price_schedule
from marketplace.price_schedule import figure_value
from marketplace.weights import Weight, product_names, weight_of


class PricingError(ValueError):
    """No price can be made for this channel (unknown channel, no price); the message says why."""


@dataclass(frozen=True)
class Quote:
    """A channel's price for one listing and how it was made. Amounts in `currency` unless named _inr."""

    channel: str
    currency: str
    price: Decimal
    asked_inr: Decimal
    payout_inr: Decimal
    charges: dict[str, Decimal] = field(default_factory=dict)  # fee name → amount in `currency`
    postage_inr: Decimal = Decimal(0)
    postage_class: str | None = None
    weight: Weight | None = None
    rate: Decimal | None = None  # rupees per unit of `currency` (None for INR)
    sources: dict[str, str] = field(default_factory=dict)  # figure → "source, as of"

    @property
    def differs(self) -> bool:
        """Whether buyers on this channel see another price than the artisan's rupees."""
        return self.currency != "INR" or self.price != self.asked_inr

    def as_dict(self) -> dict:
        """Plain numbers and text, for templates, the bench and JSON."""
        return {"channel": self.channel, "currency": self.currency, "price": float(self.price),
                "asked_inr": float(self.asked_inr), "payout_inr": float(self.payout_inr),
                "charges": {name: float(amount) for name, amount in self.charges.items()},
                "postage_inr": float(self.postage_inr), "postage_class": self.postage_class,
                "weight_kg": self.weight.kg if self.weight else None,
                "weight_source": self.weight.source if self.weight else None,
                "fragile": bool(self.weight and self.weight.fragile),
                "rate": float(self.rate) if self.rate else None, "sources": dict(self.sources)}


def quote(channel: str, asked_inr, product: dict | None, fields: dict | None, settings: dict) -> Quote:
    """The buyer's price on `channel` for a listing whose artisan asked `asked_inr` rupees."""
    if asked_inr in (None, "") or Decimal(str(asked_inr)) <= 0:
        raise PricingError("the listing has no price")
    schedule = price_schedule.schedule(settings)
    entry = (schedule.get("channels") or {}).get(channel)
    if entry is None:
        raise PricingError(f"the price schedule has no channel {channel!r}")
    asked = Decimal(str(asked_inr))
    model = MODELS[entry["model"]]
    return model(channel, entry, asked, product, dict(fields or {}), schedule)


def _artisan(channel: str, entry: dict, asked: Decimal, product, fields, schedule) -> Quote:
    return Quote(channel, entry.get("currency", "INR"), asked, asked, asked, sources={"model": _source(entry)})


def _commission(channel: str, entry: dict, asked: Decimal, product, fields, schedule) -> Quote:
    """The artisan's rupees grossed up by the channel's percentage and fixed fee, in whole rupees."""
    pct, fixed = Decimal(str(figure_value(entry.get("fee_pct")))), Decimal(str(figure_value(entry.get("fixed_inr"))))
    price = ((asked + fixed) / (1 - pct / 100)).to_integral_value(rounding=ROUND_CEILING)
    fee = price * pct / 100 + fixed
    return Quote(channel, "INR", price, asked, price - fee, charges={"commission": fee},
                 sources={"commission": _source(entry.get("fee_pct") or entry)})


def _ebay(channel: str, entry: dict, asked: Decimal, product, fields, schedule) -> Quote:
    rate = figure_value(schedule["rate"]["inr_per_usd"])
    fees = ebay_fees.Fees.of(entry, rate, product_names(product)[1])
    weight = weight_of(product, fields, schedule)
    postage_class, postage = _postage(entry["postage"], weight)
    price = ebay_fees.price_for(asked, fees, postage)
    return Quote(channel, entry.get("currency", "USD"), price, asked, ebay_fees.payout(price, fees, postage),
                 charges=ebay_fees.charges(price, fees), postage_inr=postage, postage_class=postage_class,
                 weight=weight, rate=fees.rate, sources=_ebay_sources(entry, schedule, product_names(product)[1]))


MODELS = {"artisan": _artisan, "commission": _commission, "ebay": _ebay}


def _postage(postage: dict, weight: Weight) -> tuple[str, Decimal]:
    """The weight class that holds the weight and its rupees (plus packing when fragile); past the table: refused."""
    for row in postage["classes"]:
        if weight.kg <= float(row["up_to_kg"]):
            packing = figure_value(postage.get("fragile_packing_inr")) if weight.fragile else 0
            return row["name"], Decimal(str(row["inr"])) + Decimal(str(packing))
    raise PricingError(f"{weight.kg:g} kg is heavier than the postage table goes ({postage['classes'][-1]['name']})")


def _source(figure) -> str:
    figure = figure if isinstance(figure, dict) else {}
    return ", as of ".join(str(part) for part in (figure.get("source"), figure.get("as_of")) if part)


def _ebay_sources(entry: dict, schedule: dict, category: str | None) -> dict[str, str]:
    fvf = entry["final_value_fee_pct"]
    return {"final_value_fee": _source((fvf.get("by_category") or {}).get(category) or fvf["default"]),
            "per_order_fee": _source(entry["per_order_fee"]),
            "international_fee": _source(entry["international_fee_pct"]),
            "currency_conversion": _source(entry["currency_conversion_pct"]),
            "postage": _source(entry["postage"]), "rate": _source(schedule["rate"]["inr_per_usd"]),
            "weight": _source(schedule.get("weights"))}


def listing_quote(channel: str, listing, settings: dict) -> Quote:
    """`quote` for a Listing row (its price, product and fields)."""
    fields = listing.fields or {}
    return quote(channel, listing.price_amount, fields.get("product"), fields, settings)


def try_quote(channel: str, listing, settings: dict) -> Quote | None:
    """`listing_quote`, or None when no price can be made (no price yet, too heavy, no such channel)."""
    try:
        return listing_quote(channel, listing, settings)
    except (PricingError, price_schedule.ScheduleError):
        return None


def priced(items: list[dict], channel: str, settings: dict) -> list[dict]:
    """Channel items (serialize.channel_item) with the price buyers pay on `channel`, a rupee channel (the feeds, the
    B2B sheet): the artisan's price while the schedule's model for it is `artisan`."""
    out = []
    for item in items:
        found = quote(channel, item["price"]["amount"], item.get("product"), {"weight_kg": item.get("weight_kg")},
                      settings) if item["price"]["amount"] else None
        if found is not None and found.currency != "INR":
            raise PricingError(f"{channel} is a rupee channel; the schedule prices it in {found.currency}")
        amount = float(found.price) if found is not None else item["price"]["amount"]
        out.append({**item, "price": {**item["price"], "amount": amount}})
    return out
