"""The listing card's eBay price breakdown, and staff changing a listing's packed weight (its eBay price follows)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from db.models import Artisan, Event, Listing, Message
from fakes import images
from fakes.ebay import FakeEbay
from marketplace import pricing
from tests.support.desk import Desk, conversation_id, make_staff
from tests.support.shop import Shop, ebay_settings
from tests.support.whatsapp import WhatsApp


@pytest.fixture
def ebay():
    with FakeEbay() as fake:
        yield fake


@pytest.fixture
def desk(make_app, ebay):
    """An artisan whose ₹1200 panja durrie is on eBay, and an agent logged in who has not taken the conversation over."""
    app = make_app(config=ebay_settings(ebay))
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        phone.say(text)
    with app.extensions["hunar"].db.session() as s:
        artisan_id = s.scalar(select(Artisan.id).where(Artisan.address == phone.address))
    listing_id = Shop(app, images.encode(images.product_photo(1200, 900, seed=7))).listing(artisan_id)
    assert app.test_cli_runner().invoke(args=["listings", "publish", str(listing_id), "--channel", "ebay"]).exit_code == 0
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    assert agent.login().status_code == 302
    return app, agent, conversation_id(app, phone.number), listing_id


def _cell(page: str, name: str) -> str:
    return re.search(rf'data-test="{name}">([^<]+)<', page).group(1)


def _offer_price(ebay) -> str:
    return next(iter(ebay.offers.values()))["pricingSummary"]["price"]["value"]


def _outbound(app) -> int:
    with app.extensions["hunar"].db.session() as s:
        return s.scalar(select(func.count()).select_from(Message).where(Message.direction == "out"))


def test_staff_see_what_the_ebay_price_is_made_of(desk, ebay):
    app, agent, cid, listing_id = desk
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert 'aria-label="eBay price breakdown"' in page
    assert _cell(page, "ebay-price") == f"US${_offer_price(ebay)}" == "US$46.99"
    for fee in ("Final value fee", "Per-order fee", "International fee", "Currency conversion", "Postage", "Rate"):
        assert f"<th>{fee}</th>" in page
    assert _cell(page, "weight") == "2 kg" and "the product&#39;s default" in page
    assert "India Post" in page and "as of 2025-02" in page, "each figure shows its source and date"
    assert "settings (HUNAR_INR_PER_USD)" in page, "the rate these settings set says it came from them"
    payout = float(_cell(page, "payout").lstrip("₹"))
    assert 1200 <= payout < 1200 + 88 * 1.0, "the payout is recomputed from the price, and a dollar less would not do"


def test_a_new_weight_reprices_the_listing_on_ebay_without_a_word_to_the_artisan(desk, ebay):
    app, agent, cid, listing_id = desk
    said, before = _outbound(app), _offer_price(ebay)
    answer = agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/weight", {"weight_kg": "4.5 kg"}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Weight of listing" in page and _cell(page, "weight") == "4.5 kg" and "set for this listing" in page
    with app.extensions["hunar"].db.session() as s:
        listing = s.get(Listing, listing_id)
        assert listing.fields["weight_kg"] == 4.5
        model = pricing.listing_quote("ebay", listing, app.extensions["hunar"].settings)
        events = list(s.scalars(select(Event).where(Event.kind == "helpdesk.weight")))
    assert model.postage_class == "up to 5 kg" and model.payout_inr >= 1200
    assert _offer_price(ebay) == f"{model.price:.2f}" and float(_offer_price(ebay)) > float(before)
    assert _cell(page, "ebay-price") == f"US${model.price:.2f}"
    assert [(e.actor, e.data["weight_kg"]) for e in events] == [(f"staff:{agent.user.id}", 4.5)]
    assert _outbound(app) == said, "a weight is staff's business: the artisan hears nothing"


@pytest.mark.parametrize("typed", ["", "bhari", "0", "-2", "500 kg"])
def test_a_weight_that_is_not_one_is_refused_and_nothing_changes(desk, ebay, typed):
    app, agent, cid, listing_id = desk
    calls = len(ebay.calls())
    page = agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/weight", {"weight_kg": typed},
                      follow_redirects=True).get_data(as_text=True)
    assert "Write the packed weight in kg" in page
    with app.extensions["hunar"].db.session() as s:
        assert "weight_kg" not in s.get(Listing, listing_id).fields
    assert len(ebay.calls()) == calls


def test_grams_are_read_as_grams(desk):
    app, agent, cid, listing_id = desk
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/weight", {"weight_kg": "800 g"})
    with app.extensions["hunar"].db.session() as s:
        assert s.get(Listing, listing_id).fields["weight_kg"] == 0.8


def test_another_artisans_listing_cannot_be_reached_through_this_conversation(desk, make_app):
    app, agent, cid, listing_id = desk
    other = Shop(app, images.encode(images.product_photo(1200, 900, seed=8))).listing()
    assert agent.post(f"/helpdesk/c/{cid}/listings/{other}/weight", {"weight_kg": "3"}).status_code == 404
