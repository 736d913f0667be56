"""The English storefront shows what buyers abroad pay (the price model's eBay price) beside the artisan's rupees."""
from __future__ import annotations

import os
import re

import yaml

from fakes.ebay import FakeEbay
from marketplace import price_schedule
from tests.support.shop import Shop, ebay_settings


def _abroad(page: str) -> str | None:
    found = re.search(r'<p class="abroad"[^>]*>([^<]+)</p>', page)
    return found.group(1) if found else None


def test_an_english_listing_page_shows_the_us_price_and_a_hindi_one_does_not(make_app, photo_jpeg):
    app = make_app()
    listing_id = Shop(app, photo_jpeg).listing()  # ₹1200 panja durrie, 2 kg by default
    client = app.test_client()
    english = client.get(f"/listings/{listing_id}?lang=en").get_data(as_text=True)
    assert "₹1,200" in english and _abroad(english) == "≈ US$46.99 with shipping to the US"
    assert _abroad(client.get(f"/listings/{listing_id}").get_data(as_text=True)) is None


def test_the_page_says_on_ebay_once_the_listing_is_there(make_app, photo_jpeg):
    with FakeEbay() as ebay:
        app = make_app(config=ebay_settings(ebay))
        listing_id = Shop(app, photo_jpeg).listing()
        assert app.test_cli_runner().invoke(args=["listings", "publish", str(listing_id)]).exit_code == 0
        offer = next(iter(ebay.offers.values()))["pricingSummary"]["price"]["value"]
    english = app.test_client().get(f"/listings/{listing_id}?lang=en").get_data(as_text=True)
    assert _abroad(english) == f"≈ US${offer} on eBay"


def test_cached_english_pages_follow_a_new_schedule(make_app, photo_jpeg, tmp_path):
    path = tmp_path / "prices.yml"
    path.write_text(price_schedule.DEFAULT.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(config={"PRICE_SCHEDULE": str(path)})
    shop = Shop(app, photo_jpeg)
    artisan_id = shop.artisan()
    shop.listing(artisan_id)
    client = app.test_client()
    for page in ("/catalogue?lang=en", f"/artisans/{artisan_id}?lang=en"):
        assert _abroad(client.get(page).get_data(as_text=True)) == "≈ US$46.99 with shipping to the US"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rate"]["inr_per_usd"]["value"] = 80.0
    before = os.stat(path).st_mtime_ns
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))
    try:
        for page in ("/catalogue?lang=en", f"/artisans/{artisan_id}?lang=en"):
            shown = _abroad(client.get(page).get_data(as_text=True))
            assert shown.startswith("≈ US$") and shown != "≈ US$46.99 with shipping to the US", page
    finally:
        price_schedule.forget()
