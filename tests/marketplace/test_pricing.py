"""The price model: the artisan receives at least what they asked, at the least price ending in .99, for many
prices, weights and schedules; the schedule is re-read when its file changes and settings override its figures."""
from __future__ import annotations

import json
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from marketplace import ebay_fees, price_schedule, pricing
from marketplace.price_schedule import figure_value

DURRIE = {"hi": "दरी", "en": "durrie"}
PRICES = [1, 7, 49, 99, 100, 250, 399, 400, 999, 1000, 1200, 2500, 4999, 10000, 33333, 99999] + \
    random.Random(19).sample(range(1, 200_000), 60)
WEIGHTS = [0.05, 0.25, 0.26, 0.5, 0.8, 1, 1.99, 2, 2.01, 3, 4.9, 10, 19.5]
SCHEDULES = {  # overrides by dotted path on top of the shipped schedule
    "as shipped": {},
    "dearer eBay": {"ebay.final_value_fee_pct.default": 15.6, "ebay.international_fee_pct": 3.0,
                    "ebay.currency_conversion_pct": 4.0},
    "no sales tax in the fee base": {"ebay.fee_base_tax_pct": 0},
    "weak dollar": {"rate.inr_per_usd": 72.5},
    "strong dollar, prices ending in .95 by halves": {"rate.inr_per_usd": 95.25, "ebay.price_ending.ending": 0.95,
                                                      "ebay.price_ending.step": 0.5},
}


def exact_payout(price: float, schedule: dict, category: str | None, postage: float) -> float:
    """The payout computed apart from the model, without rounding any fee up (so never below the model's)."""
    ebay = schedule["channels"]["ebay"]
    fvf = ebay["final_value_fee_pct"]
    total = price * (1 + figure_value(ebay["fee_base_tax_pct"]) / 100)
    per_order = ebay["per_order_fee"]["small"]["value"] if total <= 10 else ebay["per_order_fee"]["large"]["value"]
    pct = figure_value((fvf.get("by_category") or {}).get(category) or fvf["default"]) + \
        figure_value(ebay["international_fee_pct"])
    net = price - total * pct / 100 - per_order
    net -= net * figure_value(ebay["currency_conversion_pct"]) / 100
    return net * figure_value(schedule["rate"]["inr_per_usd"]) - postage


@pytest.mark.parametrize("name", SCHEDULES)
def test_the_artisan_always_receives_what_they_asked_at_the_least_price(name):
    settings = {"PRICE_OVERRIDES": SCHEDULES[name]}
    schedule = price_schedule.schedule(settings)
    ending = schedule["channels"]["ebay"]["price_ending"]
    fees = ebay_fees.Fees.of(schedule["channels"]["ebay"], figure_value(schedule["rate"]["inr_per_usd"]), "rug")
    checked = 0
    for kg in WEIGHTS:
        for asked in PRICES:
            quote = pricing.quote("ebay", asked, DURRIE, {"weight_kg": kg}, settings)
            price = quote.price
            assert quote.payout_inr >= asked, (name, kg, asked, price)
            assert exact_payout(float(price), schedule, "rug", float(quote.postage_inr)) >= asked - 1e-6
            assert (price - Decimal(str(ending["ending"]))) % Decimal(str(ending["step"])) == 0, price
            lower = price - Decimal(str(ending["step"]))
            assert lower < Decimal("0.99") or ebay_fees.payout(lower, fees, quote.postage_inr) < asked, \
                f"{name}: {lower} would already pay ₹{asked} for {kg} kg"
            assert quote.payout_inr == ebay_fees.payout(price, fees, quote.postage_inr)
            checked += 1
    assert checked == len(WEIGHTS) * len(PRICES)


@pytest.mark.parametrize("kg, postage_class", [(0.2, "up to 0.25 kg"), (0.25, "up to 0.25 kg"), (0.3, "up to 0.5 kg"),
                                               (2.0, "up to 2 kg"), (2.01, "up to 3 kg"), (20, "up to 20 kg")])
def test_postage_is_the_weight_class_that_holds_the_weight(kg, postage_class):
    assert pricing.quote("ebay", 1000, DURRIE, {"weight_kg": kg}, {}).postage_class == postage_class


def test_a_heavier_parcel_costs_buyers_more_and_the_artisan_the_same():
    light, heavy = (pricing.quote("ebay", 1200, DURRIE, {"weight_kg": kg}, {}) for kg in (0.5, 5))
    assert heavy.price > light.price and min(light.payout_inr, heavy.payout_inr) >= 1200


def test_weights_come_from_the_listing_then_the_product_then_its_kind():
    assert pricing.quote("ebay", 900, {"hi": "जूती", "en": "jutti"}, {}, {}).weight.kg == 0.8
    assert pricing.quote("ebay", 900, {"hi": "दरी"}, {}, {}).weight.source == "product"  # found by the Hindi name
    assert pricing.quote("ebay", 900, {"hi": "मटका", "en": "matka"}, {}, {}).weight.fragile
    said = pricing.quote("ebay", 900, DURRIE, {"weight": {"amount": 2500, "unit": "gram"}}, {})
    assert (said.weight.kg, said.weight.source) == (2.5, "listing")  # the draft kept "2500 gram"
    assert pricing.quote("ebay", 900, {"hi": "कुछ नया"}, {}, {}).weight.source == "default"


def test_fragile_pottery_pays_for_its_packing():
    pot = pricing.quote("ebay", 600, {"hi": "मटका", "en": "matka"}, {"weight_kg": 3}, {})
    rug = pricing.quote("ebay", 600, DURRIE, {"weight_kg": 3}, {})
    assert pot.postage_inr - rug.postage_inr == 300 and pot.price > rug.price


def test_the_storefront_and_feeds_charge_the_artisans_price_and_a_commission_channel_grosses_it_up():
    for channel in ("storefront", "meta", "google", "power2sme", "tradeindia"):
        quote = pricing.quote(channel, 1200, DURRIE, {}, {})
        assert (quote.currency, quote.price, quote.payout_inr, quote.differs) == ("INR", 1200, 1200, False)
    settings = {"PRICE_OVERRIDES": {"power2sme.model": "commission", "power2sme.fee_pct": 5, "power2sme.fixed_inr": 20}}
    quote = pricing.quote("power2sme", 1200, DURRIE, {}, settings)
    assert quote.price == 1285 and quote.payout_inr >= 1200 and quote.differs


def test_what_cannot_be_priced_says_why():
    with pytest.raises(pricing.PricingError, match="no channel 'etsy'"):
        pricing.quote("etsy", 1200, DURRIE, {}, {})
    with pytest.raises(pricing.PricingError, match="no price"):
        pricing.quote("ebay", None, DURRIE, {}, {})
    with pytest.raises(pricing.PricingError, match="heavier than the postage table"):
        pricing.quote("ebay", 1200, DURRIE, {"weight_kg": 45}, {})


def test_settings_override_single_figures_and_the_rate():
    shipped = pricing.quote("ebay", 1200, DURRIE, {}, {})
    cheaper = pricing.quote("ebay", 1200, DURRIE, {}, {"PRICE_OVERRIDES": json.dumps({"ebay.international_fee_pct": 0})})
    assert cheaper.price < shipped.price and cheaper.charges["international_fee"] == 0
    assert "HUNAR_PRICE_OVERRIDES" in price_schedule.schedule(
        {"PRICE_OVERRIDES": {"ebay.international_fee_pct": 0}})["channels"]["ebay"]["international_fee_pct"]["source"]
    dearer_dollar = pricing.quote("ebay", 1200, DURRIE, {}, {"INR_PER_USD": 100})
    assert dearer_dollar.rate == 100 and dearer_dollar.price < shipped.price


@pytest.fixture
def schedule_file(tmp_path) -> Path:
    path = tmp_path / "prices.yml"
    path.write_text(price_schedule.DEFAULT.read_text(encoding="utf-8"), encoding="utf-8")
    yield path
    price_schedule.forget()


def _rewrite(path: Path, change) -> None:
    """Edit the schedule file as an operator would; its mtime moves on (set it, a fast disk may not tick)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    before = os.stat(path).st_mtime_ns
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_the_running_app_reads_the_schedule_again_when_its_file_changes(schedule_file):
    settings = {"PRICE_SCHEDULE": str(schedule_file)}
    before = pricing.quote("ebay", 1200, DURRIE, {}, settings)
    version = price_schedule.version(settings)
    _rewrite(schedule_file, lambda d: d["rate"]["inr_per_usd"].update(value=80.0))
    after = pricing.quote("ebay", 1200, DURRIE, {}, settings)
    assert (before.rate, after.rate) == (88, 80) and after.price > before.price
    assert price_schedule.version(settings) != version


def test_a_broken_new_schedule_leaves_the_last_good_one_in_force(schedule_file, caplog):
    settings = {"PRICE_SCHEDULE": str(schedule_file)}
    good = pricing.quote("ebay", 1200, DURRIE, {}, settings)
    _rewrite(schedule_file, lambda d: d["channels"]["ebay"].pop("postage"))
    assert pricing.quote("ebay", 1200, DURRIE, {}, settings) == good
    assert "not reloaded" in caplog.text and "postage is missing" in caplog.text


def test_a_schedule_broken_from_the_start_stops_pricing(tmp_path):
    path = tmp_path / "prices.yml"
    path.write_text("channels: {ebay: {model: auction}}\n", encoding="utf-8")
    with pytest.raises(price_schedule.ScheduleError, match="model must be"):
        pricing.quote("ebay", 1200, DURRIE, {}, {"PRICE_SCHEDULE": str(path)})


def test_every_figure_says_where_it_comes_from_and_when():
    data = yaml.safe_load(price_schedule.DEFAULT.read_text(encoding="utf-8"))
    ebay = data["channels"]["ebay"]
    figures = [data["rate"]["inr_per_usd"], ebay["final_value_fee_pct"]["default"],
               *ebay["final_value_fee_pct"]["by_category"].values(), ebay["per_order_fee"],
               ebay["international_fee_pct"], ebay["currency_conversion_pct"], ebay["fee_base_tax_pct"],
               ebay["price_ending"], ebay["postage"], ebay["postage"]["fragile_packing_inr"], data["weights"],
               *data["channels"].values()]
    assert all(figure.get("source") and figure.get("as_of") for figure in figures)


def test_the_feeds_and_the_b2b_sheet_carry_each_channels_price(make_app, photo_jpeg):
    from tests.support.shop import Shop

    overrides = {"meta.model": "commission", "meta.fee_pct": 5, "tradeindia.model": "commission", "tradeindia.fee_pct": 2}
    app = make_app(config={"PRICE_OVERRIDES": overrides})
    Shop(app, photo_jpeg).listing()  # ₹1200
    client = app.test_client()
    meta, google = client.get("/feeds/meta.csv").get_data(as_text=True), client.get("/feeds/google.xml").get_data(as_text=True)
    assert "1264.00 INR" in meta and "1200.00 INR" not in meta  # 1200 / 0.95, rounded up to a rupee
    assert "1200.00 INR" in google  # Google's entry is still the artisan's price
    sheet = app.test_cli_runner().invoke(args=["listings", "export-b2b", "-"]).output
    assert "1225.00" in sheet


def test_the_prices_command_checks_the_schedule_and_prints_each_channel(app, tmp_path):
    out = app.test_cli_runner().invoke(args=["listings", "prices", "--product", "jutti", "--asked", "900"])
    assert out.exit_code == 0 and "storefront: INR 900" in out.output and "ebay: USD 31.99" in out.output
    broken = tmp_path / "prices.yml"
    broken.write_text("channels: {}\nrate: {inr_per_usd: 0}\n", encoding="utf-8")
    app.extensions["hunar"].settings["PRICE_SCHEDULE"] = str(broken)
    try:
        out = app.test_cli_runner().invoke(args=["listings", "prices"])
        assert out.exit_code == 1 and "inr_per_usd must be a positive number" in out.output
    finally:
        del app.extensions["hunar"].settings["PRICE_SCHEDULE"]
        price_schedule.forget()
