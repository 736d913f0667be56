"""Sales channels on the helpdesk: why eBay refused a listing, in words staff can act on, and "try again"."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import Artisan, Event, Listing, Message
from fakes import images
from fakes.ebay import FakeEbay, ebay_error
from tests.support.desk import Desk, conversation_id, make_staff
from tests.support.shop import Shop, ebay_settings
from tests.support.whatsapp import WhatsApp

REFUSED = ("POST offer publish", ebay_error(25007, "Please add at least one valid shipping service option."))


@pytest.fixture
def ebay():
    with FakeEbay() as fake:
        yield fake


@pytest.fixture
def desk(make_app, ebay):
    """An artisan with a listing eBay refused, the conversation's id, and an agent logged in (who has not taken
    the conversation over)."""
    app = make_app(config=ebay_settings(ebay))
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    services = app.extensions["hunar"]
    with services.db.session() as s:
        artisan_id = s.scalar(select(Artisan.id).where(Artisan.address == phone.address))
    listing_id = Shop(app, images.encode(images.product_photo(1200, 900, seed=7))).listing(artisan_id)
    ebay.fail[REFUSED[0]] = REFUSED[1]
    assert app.test_cli_runner().invoke(args=["listings", "publish", str(listing_id), "--channel", "ebay"]).exit_code == 1
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    assert agent.login().status_code == 302
    return app, agent, conversation_id(app, phone.number), listing_id


def _state(app, listing_id: int) -> dict:
    with app.extensions["hunar"].db.session() as s:
        return s.get(Listing, listing_id).channels["ebay"]


def _outbound(app) -> int:
    with app.extensions["hunar"].db.session() as s:
        return s.scalar(select(func.count()).select_from(Message).where(Message.direction == "out"))


def test_the_listing_card_says_why_ebay_refused_and_offers_to_try_again(desk):
    app, agent, cid, listing_id = desk
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert 'aria-label="sales channels"' in page and f'id="listing-{listing_id}"' in page
    assert "HUNAR_EBAY_FULFILLMENT_POLICY_ID" in page and "fulfillment_policy" in page
    assert f"/helpdesk/c/{cid}/listings/{listing_id}/channels/ebay/retry" in page and "Try ebay again" in page


def test_trying_again_after_the_fix_publishes_without_a_word_to_the_artisan(desk, ebay):
    app, agent, cid, listing_id = desk
    said = _outbound(app)
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/channels/ebay/retry")
    assert _state(app, listing_id)["status"] == "error", "still refused: eBay has not been fixed yet"
    del ebay.fail[REFUSED[0]]
    answer = agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/channels/ebay/retry", follow_redirects=True)
    assert "Sending listing" in answer.get_data(as_text=True)
    state = _state(app, listing_id)
    assert state["status"] == "published" and state["listing_id"] and "error" not in state
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert f"ebay listing {state['listing_id']}" in page and "Try ebay again" not in page
    assert _outbound(app) == said, "retrying a channel tells the artisan nothing"
    with app.extensions["hunar"].db.session() as s:
        retries = list(s.scalars(select(Event).where(Event.kind == "helpdesk.channel_retry")))
    assert [e.actor for e in retries] == [f"staff:{agent.user.id}"] * 2
    assert all(e.listing_id == listing_id and e.data.get("channel") == "ebay" for e in retries)


@pytest.mark.parametrize("channel, says", [("ebay", "nothing to try again"), ("etsy", "no sales channel")])
def test_there_is_nothing_to_try_again_on_a_live_or_unknown_channel(desk, ebay, channel, says):
    app, agent, cid, listing_id = desk
    del ebay.fail[REFUSED[0]]
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/channels/ebay/retry")
    calls = len(ebay.calls())
    page = agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/channels/{channel}/retry",
                      follow_redirects=True).get_data(as_text=True)
    assert says in page and len(ebay.calls()) == calls


def test_the_queue_lists_refused_listings_until_they_pass(desk, ebay):
    app, agent, cid, listing_id = desk
    queue = agent.get("/helpdesk/").get_data(as_text=True)
    assert 'aria-label="refused listings"' in queue
    assert f'href="/helpdesk/c/{cid}#listing-{listing_id}">Listing {listing_id}</a>' in queue and "HUNAR_EBAY_FULFILLMENT_POLICY_ID" in queue
    del ebay.fail[REFUSED[0]]
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/channels/ebay/retry")
    assert 'aria-label="refused listings"' not in agent.get("/helpdesk/").get_data(as_text=True)

