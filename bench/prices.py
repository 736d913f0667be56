"""Benchmark (not a test): five example products through the price model, with every fee, the postage, the eBay
price and the artisan's payout recomputed from that price, which must never be below what they asked.

Run: .venv/bin/python bench/prices.py [--record KEY] [--notes "..."]
Also shows what the old price (rupees / INR_PER_USD) would have paid, and how long one quote takes.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from marketplace import ebay_fees, price_schedule, pricing  # noqa: E402
from marketplace.price_schedule import figure_value  # noqa: E402
from marketplace.weights import product_names  # noqa: E402

EXAMPLES = [  # (what, product as the draft keeps it, the artisan's rupees)
    ("durrie, 6 × 4 ft", {"hi": "दरी", "en": "durrie"}, 1200),
    ("phulkari dupatta", {"hi": "फुलकारी दुपट्टा", "en": "phulkari dupatta"}, 2500),
    ("jutti, one pair", {"hi": "जूती", "en": "jutti"}, 900),
    ("matka (clay pot)", {"hi": "मटका", "en": "matka"}, 600),
    ("munj grass basket", {"hi": "टोकरी", "en": "basket"}, 400),
]
SECTION = "Prices: what the artisan receives from eBay (bench/prices.py)"


def recomputed(price: Decimal, quote: pricing.Quote) -> Decimal:
    """The payout worked out again from the eBay price alone: price − each fee, at the rate, − postage."""
    return (price - sum(quote.charges.values())) * quote.rate - quote.postage_inr


def old_payout(asked: int, product: dict, settings: dict) -> tuple[Decimal, Decimal]:
    """The price Hunar used to send (rupees / rate) and what the artisan would have been left with at it."""
    schedule = price_schedule.schedule(settings)
    entry = schedule["channels"]["ebay"]
    rate = figure_value(schedule["rate"]["inr_per_usd"])
    old = (Decimal(asked) / Decimal(str(rate))).quantize(Decimal("0.01"))
    fees = ebay_fees.Fees.of(entry, rate, product_names(product)[1])
    postage = pricing.quote("ebay", asked, product, {}, settings).postage_inr
    return old, ebay_fees.payout(old, fees, postage)


def rows(settings: dict) -> list[dict]:
    out = []
    for what, product, asked in EXAMPLES:
        quote = pricing.quote("ebay", asked, product, {}, settings)
        payout = recomputed(quote.price, quote)
        old, old_left = old_payout(asked, product, settings)
        out.append({"what": what, "kg": quote.weight.kg, "fragile": quote.weight.fragile, "asked": asked,
                    **{name: float(v) for name, v in quote.charges.items()}, "postage": float(quote.postage_inr),
                    "postage_class": quote.postage_class, "price": float(quote.price), "payout": float(payout),
                    "model_payout": float(quote.payout_inr), "ok": payout >= asked and quote.payout_inr >= asked,
                    "old_price": float(old), "old_payout": float(old_left), "rate": float(quote.rate)})
    return out


def table(found: list[dict]) -> str:
    lines = ["| product | weight | artisan asks | final value fee | per-order fee | international fee | currency "
             "conversion | postage (India Post) | **eBay price** | payout recomputed | ≥ asked | old price → payout |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in found:
        lines.append(
            f"| {r['what']} | {r['kg']:g} kg{' (fragile)' if r['fragile'] else ''} | ₹{r['asked']:,} "
            f"| ${r['final_value_fee']:.2f} | ${r['per_order_fee']:.2f} | ${r['international_fee']:.2f} "
            f"| ${r['currency_conversion']:.2f} | ₹{r['postage']:,.0f} ({r['postage_class']}) | **${r['price']:.2f}** "
            f"| ₹{r['payout']:,.2f} | {'yes' if r['ok'] else '**NO**'} | ${r['old_price']:.2f} → ₹{r['old_payout']:,.0f} |")
    return "\n".join(lines)


def timing(settings: dict, runs: int = 2000) -> float:
    """Microseconds per eBay quote (schedule lookup with its mtime check included)."""
    start = time.perf_counter()
    for n in range(runs):
        what, product, asked = EXAMPLES[n % len(EXAMPLES)]
        pricing.quote("ebay", asked + n % 7, product, {}, settings)
    return (time.perf_counter() - start) / runs * 1e6


def section(runs: dict) -> str:
    lines = ["Five example products through `marketplace/pricing.py` with the shipped schedule "
             "(`marketplace/data/price_schedule.yml`: eBay US fees as published 2025-02, India Post tariff to the "
             "USA as of 2025-06, ₹88 per US$; every figure is labelled with its source there; check them before "
             "production). Fees are charged on the total of the sale including an average US sales tax of 7.5 %, "
             "and each is rounded up to the cent. Postage is built into the price (free shipping). The payout is "
             "recomputed from the eBay price alone: (price − the four fees) × rate − postage. The last column is "
             "what Hunar sent before (rupees ÷ rate) and what the artisan would have been left with.", ""]
    for key, r in runs.items():
        lines += [f"### {key}", "", f"{r['when']}; load average {r['load']} on {r['cores']} cores, CPU calibration "
                  f"{r['cpu_calibration_s']} s; one quote takes {r['us_per_quote']:.0f} µs. `{r['command']}`. "
                  f"{r.get('notes', '')}", "", r["table"], ""]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    from bench.under_attack import cpu_calibration

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", metavar="KEY", help="keep the run in bench/results.json and RESULTS.md as KEY")
    ap.add_argument("--notes", default="", help="a sentence for RESULTS.md")
    args = ap.parse_args(argv)
    settings: dict = {}
    calibration, load = cpu_calibration(), os.getloadavg()
    found = rows(settings)
    text = table(found)
    micro = timing(settings)
    print(text)
    print(f"one quote: {micro:.0f} µs; host: {os.cpu_count()} cores, load {[round(v, 2) for v in load]}, "
          f"CPU calibration {calibration:.3f} s")
    if not all(r["ok"] for r in found):
        print("A PAYOUT IS BELOW WHAT THE ARTISAN ASKED")
        return 1
    if args.record:
        from bench import load as bench_load

        entry = {"when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "cores": os.cpu_count(),
                 "load": round(load[0], 2), "cpu_calibration_s": round(calibration, 3), "us_per_quote": round(micro, 1),
                 "command": "bench/prices.py", "rows": found, "table": text, "notes": args.notes}
        bench_load.record_section("prices", args.record, entry, SECTION, section)
        print(f"recorded as {args.record!r} in bench/results.json and bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
