"""Photos you can trust: a photo the check rejected never becomes the cover, and feeds carry only listings whose
cover passed (newcomer report, M1)."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from db.models import Artisan, Listing, Photo
from fakes import images
from marketplace import builder, listings
from tests.support.shop import checked_photos
from tests.support.whatsapp import WhatsApp

G = "{http://base.google.com/ns/1.0}"
ANSWERS = ("जूती", "चमड़ा", "लाल", "8 नंबर", "1500 रुपये", "10", "हाथ से कढ़ाई की है", "हाँ")


@pytest.fixture
def shop_app(make_app):
    """Listings publish without review, so what the artisan sent is what buyers see."""
    return make_app(config={"LISTING_REVIEW": 0})


def _main_key(app, photo_id: int) -> str:
    with app.extensions["hunar"].db.session() as s:
        return s.get(Photo, photo_id).files["main"]["key"]


def _feeds(client) -> tuple[dict, dict]:
    """The Meta rows and Google items by id."""
    meta = {row["id"]: row for row in csv.DictReader(io.StringIO(client.get("/feeds/meta.csv").get_data(as_text=True)))}
    channel = ET.fromstring(client.get("/feeds/google.xml").data).find("channel")
    google = {item.findtext(f"{G}id"): item for item in channel.findall("item")}
    return meta, google


def test_dark_blurred_too_big_then_good_publishes_the_good_photo_as_cover(shop_app):
    client = shop_app.test_client()
    phone = WhatsApp(client)
    for text in ("नमस्ते", "हाँ", "सुनीता", "हिसार", "जूती बनाती हूँ"):
        phone.say(text)

    phone.send_photo(images.encode(images.dark(images.product_photo(1200, 900, seed=1))))
    assert "अंधेरा" in phone.text and "दोबारा फोटो खींचकर भेजें" not in phone.text
    phone.send_photo(images.encode(images.blurred_photo(1200, 900, radius=6, seed=2)))
    assert "धुंधली" in phone.text and phone.text.count("फोटो भेजें") <= 1  # one reason, one instruction, one ask
    phone.send_photo(images.oversize_photo(seed=3))
    assert "फ़ाइल बहुत बड़ी है" in phone.text, "the artisan is told why the big photo was not taken"
    kept = phone.state()["draft"]["photos"]
    assert len(kept) == 1, "for now the best retake is kept, so the artisan can go on"
    phone.send_photo(images.encode(images.product_photo(1500, 1500, seed=4)))
    assert "1 फोटो मिली" in phone.text
    good = phone.state()["draft"]["photos"]
    assert len(good) == 1 and good != kept, "the blurred photo left the draft when the good one came"

    phone.say("बस")
    for text in ANSWERS:
        phone.say(text)
    services = shop_app.extensions["hunar"]
    with services.db.session() as s:
        artisan = s.scalar(select(Artisan).where(Artisan.address == phone.address))
        listing = s.scalar(select(Listing).where(Listing.artisan_id == artisan.id))
        assert listing.status == "published"
        attached = list(s.scalars(select(Photo).where(Photo.listing_id == listing.id)))
        assert [(p.id, p.verdict) for p in attached] == [(good[0], "ok")]
        assert s.get(Photo, kept[0]) is None, "the rejected photo is gone, files and all"
        listing_id = listing.id
    key = _main_key(shop_app, good[0])
    assert client.get(f"/api/listings/{listing_id}").get_json()["photos"][0]["url"].endswith(key)
    page = client.get(f"/listings/{listing_id}").get_data(as_text=True)
    assert key.split("_")[0] in page
    meta, google = _feeds(client)
    assert meta[builder.sku(listing_id)]["image_link"].endswith(key)
    assert google[builder.sku(listing_id)].findtext(f"{G}image_link").endswith(key)


def _listing(app, pictures: list[bytes]) -> tuple[int, list[int]]:
    """A published listing with these pictures in this order, each checked like the bot checks them."""
    services = app.extensions["hunar"]
    with services.db.session() as s:
        artisan = Artisan(address=f"whatsapp:+91{abs(hash(tuple(pictures))) % 10**10:010d}", name="Sunita",
                          district="Hisar", craft="durrie weaving")
        s.add(artisan)
        s.flush()
        ids = checked_photos(s, services.media_store, artisan.id, pictures)
        listing = listings.create_listing(s, artisan_id=artisan.id, photo_ids=ids, review=False,
                                          now=services.clock(), slots={
                                              "product": {"hi": "दरी", "en": "durrie"}, "quantity": 2,
                                              "price": {"amount": 900, "per": "piece"}})
        return listing.id, ids


BLURRED = images.encode(images.blurred_photo(1200, 900, radius=6, seed=7))
SHARP = images.encode(images.product_photo(1200, 900, seed=8))


def test_a_retake_before_a_good_photo_is_not_shown_and_the_good_one_is_the_cover(shop_app):
    client = shop_app.test_client()
    listing_id, (blurred, sharp) = _listing(shop_app, [BLURRED, SHARP])
    photos = client.get(f"/api/listings/{listing_id}").get_json()["photos"]
    assert [p["url"].rsplit("/", 1)[-1] for p in photos] == [_main_key(shop_app, sharp).rsplit("/", 1)[-1]]
    assert _main_key(shop_app, blurred).split("_")[0] not in client.get(f"/listings/{listing_id}").get_data(as_text=True)
    meta, google = _feeds(client)
    assert builder.sku(listing_id) in meta and builder.sku(listing_id) in google


def test_feeds_skip_a_listing_whose_only_photos_failed_the_check(shop_app):
    client = shop_app.test_client()
    failed, _ = _listing(shop_app, [BLURRED])
    passed, _ = _listing(shop_app, [SHARP])
    meta, google = _feeds(client)
    assert builder.sku(passed) in meta and builder.sku(passed) in google
    assert builder.sku(failed) not in meta and builder.sku(failed) not in google, "a failed cover is in a feed"
    assert client.get(f"/listings/{failed}").status_code == 200, "staff published it: the storefront still shows it"
