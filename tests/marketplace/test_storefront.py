"""The storefront and the public API as buyers and partners see them: published only, bilingual, no phones."""
from __future__ import annotations

import re
from urllib.parse import unquote

from fakes import images
from tests.support.shop import CASES, Shop
from tests.support.whatsapp import WhatsApp

DESK = "+911725550123"
DESIGN_KEYS = {"id", "url", "status", "title", "description", "product", "material", "colours", "size", "price",
               "quantity", "photos", "artisan"}


def _phones(app) -> list[str]:
    from sqlalchemy import select

    from db.models import Artisan

    with app.extensions["hunar"].db.session() as s:
        numbers = [a.rsplit(":", 1)[-1] for a in s.scalars(select(Artisan.address))]  # simulated artisans have
        return [n.lstrip("+")[-10:] for n in numbers if n.lstrip("+").isdigit()]  # their number only there


def test_a_listing_chatted_on_whatsapp_is_on_sale_with_its_built_title(make_app):
    app = make_app(config={"LISTING_REVIEW": 0})
    phone = WhatsApp(app.test_client())
    for turn in CASES["chat"]:
        if turn == "photos":
            phone.send_photos([images.encode(images.product_photo(1200, 900, seed=s)) for s in (1, 2)])
        else:
            phone.say(turn)
    listings = app.test_client().get("/api/listings").get_json()["listings"]
    assert len(listings) == 1
    listing = listings[0]
    assert listing["title"] == CASES["chat_title"]
    assert CASES["chat_words_hi"] in listing["description"]["hi"]
    assert listing["price"] == {"amount": 1200, "currency": "INR", "per": "piece"} and listing["quantity"] == 5
    assert len(listing["photos"]) == 2
    assert phone.number[-10:] not in str(listing)


def test_the_api_shows_published_listings_in_designs_shape_and_filters(app, client, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    panipat = shop.artisan(district="Panipat")
    durrie = shop.listing(panipat)
    khes = shop.listing(shop.artisan(name="Kamla", district="Hisar"), CASES["builder"][2]["fields"])
    shop.listing(panipat, review=True)  # not yet public
    body = client.get("/api/listings").get_json()
    assert body["total"] == 2 and [item["id"] for item in body["listings"]] == [khes, durrie]
    item = body["listings"][1]
    assert set(item) == DESIGN_KEYS
    assert item["url"].endswith(f"/listings/{durrie}") and item["status"] == "published"
    assert item["product"] == CASES["builder"][0]["fields"]["product"]
    assert item["size"] == {"length": 6, "width": 4, "unit": "foot"}
    assert item["photos"][0]["width"] == 1200 and item["artisan"]["district_en"] == "Panipat"

    def ids(query):
        return [i["id"] for i in client.get("/api/listings?" + query).get_json()["listings"]]

    assert ids("product=panja%20durrie") == [durrie]
    assert ids("product=" + CASES["builder"][2]["fields"]["product"]["hi"]) == [khes]  # Hindi names work too
    assert ids("material=wool") == [khes]
    assert ids("district=panipat") == [durrie]
    assert ids(f"artisan={panipat}") == [durrie]
    assert client.get(f"/api/listings/{durrie}").get_json()["id"] == durrie
    assert client.get("/api/listings/99999").status_code == 404
    assert client.get("/api/listings?artisan=x").status_code == 400
    text = client.get("/api/listings").get_data(as_text=True)
    assert not any(phone in text for phone in _phones(app))


def test_a_listing_page_in_hindi_and_english_with_og_tags_and_the_desk_on_whatsapp(make_app, photo_jpeg):
    app = make_app(config={"DESK_WHATSAPP": DESK, "PUBLIC_BASE_URL": "https://hunar.example"})
    shop = Shop(app, photo_jpeg)
    listing_id = shop.listing(photos=2)
    shop.change(listing_id, {"price": {"amount": 125000, "per": "piece"}})
    client = app.test_client()
    hindi = client.get(f"/listings/{listing_id}").get_data(as_text=True)
    assert '<html lang="hi">' in hindi and CASES["builder"][0]["title"]["hi"] in hindi
    assert "₹1,25,000" in hindi  # Indian grouping
    english = client.get(f"/listings/{listing_id}?lang=en").get_data(as_text=True)
    assert "Handwoven red cotton panja durrie, 6 × 4 ft, from Panipat, Haryana" in english
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', english).group(1)
    assert og_image.startswith("https://hunar.example/media/") and og_image.endswith("_1600.jpg")
    assert '<meta property="og:title"' in english and '<meta property="og:url"' in english
    buy = re.search(r'class="buy" href="([^"]+)"', english).group(1).replace("&amp;", "&")
    assert buy.startswith("https://wa.me/911725550123?text=")
    assert f"https://hunar.example/listings/{listing_id}" in unquote(buy)
    assert not any(phone in hindi + english for phone in _phones(app))


def test_a_sold_out_page_stays_up_without_a_buy_button_and_unpublished_ones_are_hidden(make_app, photo_jpeg):
    app = make_app(config={"DESK_WHATSAPP": DESK})
    shop = Shop(app, photo_jpeg)
    sold = shop.listing()
    shop.change(sold, {"quantity": 0})
    page = app.test_client().get(f"/listings/{sold}?lang=en").get_data(as_text=True)
    assert "Sold out" in page and "wa.me" not in page
    assert app.test_client().get(f"/listings/{shop.listing(review=True)}").status_code == 404


def test_the_catalogue_filters_by_product_material_district_and_price(app, client, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    durrie = shop.listing(shop.artisan(district="Panipat"))
    khes = shop.listing(shop.artisan(name="Kamla", district="Hisar"),
                        {**CASES["builder"][2]["fields"], "price": {"amount": 2500, "per": "piece"}})

    def shown(query):
        page = client.get("/catalogue?lang=en&" + query).get_data(as_text=True)
        return sorted(int(i) for i in re.findall(r'href="/listings/(\d+)', page))

    assert shown("") == sorted([durrie, khes])
    assert shown("product=khes") == [khes]
    assert shown("material=cotton") == [durrie]
    assert shown("district=Panipat") == [durrie]
    assert shown("min=2000") == [khes] and shown("max=2000") == [durrie] and shown("min=abc") == sorted([durrie, khes])
    assert "Hisar" in client.get("/catalogue?lang=en").get_data(as_text=True)  # the district menu


def test_an_artisans_page_lists_their_products(app, client, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    artisan = shop.artisan(name="Kamla", district="Hisar")
    first, second = shop.listing(artisan), shop.listing(artisan, CASES["builder"][2]["fields"])
    page = client.get(f"/artisans/{artisan}?lang=en").get_data(as_text=True)
    assert "Kamla" in page and "Hisar" in page
    assert f"/listings/{first}" in page and f"/listings/{second}" in page
    assert client.get("/artisans/99999").status_code == 404
