"""Staff see each photo with its verdict on the Draft and Listing cards, and remove, reorder and choose the cover;
the published listing follows, the audit records who did it, and the artisan is not messaged."""
from __future__ import annotations

from sqlalchemy import func, select

from db.models import Artisan, Conversation, Event, Message, Photo
from fakes import images
from marketplace import listings
from tests.support.desk import conversation_id
from tests.support.shop import checked_photos
from tests.support.whatsapp import WhatsApp

ONBOARD = ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई")
BLURRED = images.encode(images.blurred_photo(1200, 900, radius=6, seed=21))


def _onboarded(app) -> WhatsApp:
    phone = WhatsApp(app.test_client())
    for text in ONBOARD:
        phone.say(text)
    return phone


def _published(app, phone, pictures: list[bytes]) -> tuple[int, list[int]]:
    """A published listing of this artisan with these pictures, in this order, checked as the bot checks them."""
    services = app.extensions["hunar"]
    with services.db.session() as s:
        artisan = s.scalar(select(Artisan).where(Artisan.address == phone.address))
        ids = checked_photos(s, services.media_store, artisan.id, pictures)
        listing = listings.create_listing(s, artisan_id=artisan.id, photo_ids=ids, review=False, now=services.clock(),
                                          slots={"product": {"hi": "दरी", "en": "durrie"}, "quantity": 2,
                                                 "price": {"amount": 900, "per": "piece"}})
        return listing.id, ids


def _shown(app, listing_id: int) -> list[int]:
    """The photo ids buyers see, in order, read back from the public API's image URLs."""
    services = app.extensions["hunar"]
    urls = [p["url"] for p in app.test_client().get(f"/api/listings/{listing_id}").get_json()["photos"]]
    with services.db.session() as s:
        by_key = {p.files["main"]["key"]: p.id for p in s.scalars(select(Photo).where(Photo.listing_id == listing_id))}
    return [next(pid for key, pid in by_key.items() if url.endswith(key)) for url in urls]


def _outbound(app, cid: int) -> int:
    with app.extensions["hunar"].db.session() as s:
        return s.scalar(select(func.count(Message.id)).where(Message.conversation_id == cid,
                                                             Message.direction == "out"))


def _events(app, kind: str) -> list[Event]:
    with app.extensions["hunar"].db.session() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def test_listing_photos_show_verdicts_and_staff_reorder_remove_and_choose_the_cover(app, agent):
    phone = _onboarded(app)
    cid = conversation_id(app, phone.number)
    sharp = [images.encode(images.product_photo(1200, 900, seed=n)) for n in (31, 32, 33)]
    listing_id, (first, second, third, blurred) = _published(app, phone, [*sharp, BLURRED])
    assert _shown(app, listing_id) == [first, second, third]
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    card = page[page.index(f'id="listing-{listing_id}"'):]
    assert f'id="photo-{blurred}"' in card and "retake: blurry" in card and card.count(">ok<") == 3
    assert card.index(f'id="photo-{first}"') < card.index("cover-badge") < card.index(f'id="photo-{second}"')
    sent = _outbound(app, cid)

    agent.post(f"/helpdesk/c/{cid}/photos/{third}/cover")  # no take-over needed: nothing is sent
    assert _shown(app, listing_id) == [third, first, second]
    agent.post(f"/helpdesk/c/{cid}/photos/{second}/up")
    assert _shown(app, listing_id) == [third, second, first]
    agent.post(f"/helpdesk/c/{cid}/photos/{first}/remove")
    assert _shown(app, listing_id) == [third, second]
    refused = agent.post(f"/helpdesk/c/{cid}/photos/{blurred}/cover", follow_redirects=True).get_data(as_text=True)
    assert "Only a photo that passed the check can be the cover" in refused
    assert _shown(app, listing_id) == [third, second]

    with app.extensions["hunar"].db.session() as s:
        assert s.get(Photo, first) is None
    assert _outbound(app, cid) == sent, "tidying photos never messages the artisan"
    assert [(e.actor, e.listing_id, e.data["photo_id"]) for e in _events(app, "helpdesk.photo_cover")] == [
        (f"staff:{agent.user.id}", listing_id, third)]
    assert [e.data["photo_id"] for e in _events(app, "helpdesk.photo_remove")] == [first]


def test_draft_photos_are_reordered_and_removed_in_the_bots_own_state(app, agent):
    phone = _onboarded(app)
    cid = conversation_id(app, phone.number)
    phone.send_photos([images.encode(images.product_photo(1200, 900, seed=n)) for n in (41, 42)])
    first, second = phone.state()["draft"]["photos"]
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert page.count('class="photo-card') == 2 and 'aria-label="draft photos"' in page

    agent.post(f"/helpdesk/c/{cid}/photos/{second}/up")
    assert phone.state()["draft"]["photos"] == [second, first]
    agent.post(f"/helpdesk/c/{cid}/photos/{first}/remove")
    assert phone.state()["draft"]["photos"] == [second]
    with app.extensions["hunar"].db.session() as s:
        assert s.get(Photo, first) is None
        assert s.get(Conversation, cid).mode == "bot", "the bot keeps the conversation"
    phone.say("बस")
    assert "सामान" in phone.text and phone.state()["conversation"]["step"] == "product"
