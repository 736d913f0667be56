"""Issue 19 (M7, m13): the artisan's story and name reach the English page, the feeds and eBay; staff check the
English beside the Hindi on the conversation page and correct it, without taking the conversation over."""
from __future__ import annotations

import csv
import io
from html import unescape

from sqlalchemy import select

from db.models import Event, Listing
from fakes import images
from marketplace import ebay_listing, serialize
from tests.support.desk import conversation_id
from tests.support.shop import CASES, Shop
from tests.support.whatsapp import WhatsApp

STORY = CASES["english_listing"]


def test_the_english_page_feeds_and_ebay_carry_the_makers_name_and_words_in_english(make_app, photo_jpeg):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example"})  # eBay takes photos over HTTPS only
    client = app.test_client()
    shop = Shop(app, photo_jpeg)
    maker = shop.artisan(name=STORY["artisan"]["name"], district=STORY["artisan"]["district"])
    listing_id = shop.listing(maker, {**CASES["builder"][0]["fields"], "description": STORY["words"]})
    english = unescape(client.get(f"/listings/{listing_id}?lang=en").get_data(as_text=True))
    assert f">{STORY['name_en']}</a>" in english and "Artisan:" in english
    assert STORY["made_by_en"] in english
    assert STORY["words_en"] in english
    assert STORY["words"] not in english and STORY["artisan"]["name"] not in english
    hindi = unescape(client.get(f"/listings/{listing_id}").get_data(as_text=True))
    assert STORY["artisan"]["name"] in hindi and STORY["words"] in hindi
    feeds = client.get("/feeds/meta.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(feeds)) if r["id"].endswith(str(listing_id)))
    assert row["manufacturer_info"].startswith(f"Handmade by {STORY['name_en']}, Ambala")
    assert STORY["words_en"] in row["description"]
    with app.extensions["hunar"].db.session() as s:
        item = serialize.channel_item(s, s.get(Listing, listing_id), app.extensions["hunar"].media_store)
    ebay = unescape(ebay_listing.inventory_item(item)["product"]["description"])
    assert STORY["words_en"] in ebay and STORY["made_by_en"] in ebay and STORY["words"] not in ebay


def test_staff_see_the_draft_english_beside_the_hindi_and_correct_it_without_taking_over(app, agent):
    phone = WhatsApp(app.test_client())
    for turn in CASES["chat"][:-2] + [STORY["chat_words"], CASES["chat"][-1]]:
        if turn == "photos":
            phone.send_photos([images.encode(images.product_photo(1200, 900, seed=s)) for s in (1, 2)])
        else:
            phone.say(turn)
    said = len(phone.state()["messages"])
    cid = conversation_id(app, phone.number)
    page = unescape(agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True))
    assert STORY["chat_words"] in page and STORY["chat_draft_en"] in page
    assert STORY["chat_left"] in page.split('class="untranslated"')[1]
    with app.extensions["hunar"].db.session() as s:
        listing = s.scalar(select(Listing))
        assert STORY["chat_left"] not in listing.description["en"]
        listing_id = listing.id
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/english", {"english": STORY["staff_en"]})
    with app.extensions["hunar"].db.session() as s:
        listing = s.get(Listing, listing_id)
        assert f"In the maker's words: {STORY['staff_en']}" in listing.description["en"]
        assert listing.fields["description"] == STORY["chat_words"]  # the artisan's own words are kept
        assert s.scalar(select(Event).where(Event.kind == "helpdesk.english")) is not None
    assert "(checked by staff)" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert len(phone.state()["messages"]) == said  # the artisan was not messaged


def test_a_staff_edit_of_the_description_is_kept_apart_from_the_makers_words(client, app, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    listing_id = shop.listing(fields={**CASES["builder"][0]["fields"], "description": STORY["words"]})
    shop.change(listing_id, {"description": STORY["staff_words"]}, actor="staff:1")
    with app.extensions["hunar"].db.session() as s:
        listing = s.get(Listing, listing_id)
        assert listing.fields["description"] == STORY["words"]
        assert "maker's words" not in listing.description["en"]
        assert STORY["staff_words_en"] in listing.description["en"]
