"""A listing's life: built when created and when changed, every change an event, stock decides sold out."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Event, Listing
from marketplace import listings
from tests.support.shop import CASES


def _listing(app, listing_id) -> Listing:
    with app.extensions["hunar"].db.session() as s:
        return s.get(Listing, listing_id)


def _events(app, listing_id) -> list[str]:
    with app.extensions["hunar"].db.session() as s:
        return list(s.scalars(select(Event.kind).where(Event.listing_id == listing_id).order_by(Event.id)))


def test_a_created_listing_is_built_and_goes_to_review(app, shop):
    listing_id = shop.listing(shop.artisan(district="Panipat"), review=True)
    listing = _listing(app, listing_id)
    assert listing.status == "review" and listing.sku == f"HUN{listing_id:07d}"
    assert listing.title["en"] == "Handwoven red cotton panja durrie, 6 × 4 ft, from Panipat, Haryana"
    assert listing.title["hi"] == CASES["builder"][0]["title"]["hi"]
    assert _events(app, listing_id) == ["listing.submitted", "listing.review"]


def test_changing_fields_rebuilds_the_texts(app, shop):
    listing_id = shop.listing()
    shop.change(listing_id, {"material": {"hi": "x", "en": "wool"}})
    listing = _listing(app, listing_id)
    assert listing.title["en"].startswith("Handwoven red woollen panja durrie")
    assert "cotton" not in listing.description["en"]
    assert _events(app, listing_id)[-1] == "listing.edited"


def test_stock_to_zero_is_sold_out_and_back_in_stock_is_published(app, shop):
    listing_id = shop.listing()
    shop.change(listing_id, {"quantity": 0})
    assert _listing(app, listing_id).status == "sold_out"
    shop.change(listing_id, {"quantity": 3, "price": {"amount": 1500, "per": "piece"}})
    listing = _listing(app, listing_id)
    assert listing.status == "published" and listing.price_amount == 1500 and listing.quantity == 3
    assert _events(app, listing_id)[-5:] == ["listing.quantity", "listing.sold_out", "listing.price",
                                             "listing.quantity", "listing.published"]


def test_a_withdrawn_listing_cannot_come_back(app, shop):
    listing_id = shop.listing()
    shop.move(listing_id, "withdrawn")
    with pytest.raises(listings.TransitionError):
        shop.move(listing_id, "published")
