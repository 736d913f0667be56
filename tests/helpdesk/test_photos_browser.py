"""In headless Chromium: staff see the draft's photos as thumbnails with their verdicts and make the second one the
cover; a buyer's phone shows a listing's gallery with a count and a thumbnail strip, and no empty band under a
landscape cover when the next photo is portrait (newcomer report M1, m21)."""
from __future__ import annotations

import pytest
from PIL import ImageEnhance

from db.models import Artisan
from fakes import images
from marketplace import listings
from tests.support.browser import chromium, log_in, needs_chromium, serving
from tests.support.desk import PASSWORD, conversation_id, make_staff
from tests.support.shop import checked_photos
from tests.support.whatsapp import WhatsApp

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = needs_chromium
expect = playwright_api.expect
TIMEOUT = 15_000


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(make_app):
    app = make_app()
    with serving(app) as base:
        yield app, base


def _log_in(browser, base: str):
    page = log_in(browser.new_context().new_page(), base, "asha", PASSWORD, timeout=TIMEOUT)
    expect(page.locator("h1")).to_contain_text("Waiting for help")
    return page


def test_staff_see_draft_thumbnails_with_verdicts_and_choose_the_cover(server, browser):
    app, base = server
    phone = WhatsApp(app.test_client(), "+919812300077")
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    phone.send_photos([images.encode(images.product_photo(1200, 900, seed=51)),
                       images.encode(ImageEnhance.Brightness(images.product_photo(1200, 900, seed=52)).enhance(0.35))])
    # an ok photo, and one that passed with a tip (a little dark)
    first, second = phone.state()["draft"]["photos"]
    make_staff(app, "asha")
    staff = _log_in(browser, base)
    staff.goto(f"{base}/helpdesk/c/{conversation_id(app, phone.number)}")

    draft = staff.get_by_label("draft photos")
    expect(draft.locator("img.thumb")).to_have_count(2)
    expect(draft.locator(f"#photo-{first} .verdict")).to_have_text("ok")
    expect(draft.locator(f"#photo-{second} .verdict")).to_have_text("ok (tip: too dark)")
    expect(draft.locator(f"#photo-{first} .cover-badge")).to_be_visible()
    assert draft.locator(f"#photo-{first} img.thumb").evaluate("img => img.complete && img.naturalWidth") > 0
    draft.get_by_role("button", name="Make cover draft photo 2").click()
    expect(staff.get_by_label("draft photos").locator(f"#photo-{second} .cover-badge")).to_be_visible()
    assert phone.state()["draft"]["photos"] == [second, first]


def _listing(app, pictures: list[bytes]) -> int:
    services = app.extensions["hunar"]
    with services.db.session() as s:
        artisan = Artisan(address="whatsapp:+919812300078", name="Sunita", district="Hisar", craft="durrie weaving")
        s.add(artisan)
        s.flush()
        ids = checked_photos(s, services.media_store, artisan.id, pictures)
        return listings.create_listing(s, artisan_id=artisan.id, photo_ids=ids, review=False, now=services.clock(),
                                       slots={"product": {"hi": "दरी", "en": "durrie"}, "quantity": 2,
                                              "price": {"amount": 900, "per": "piece"}}).id


def test_a_phone_sees_how_many_photos_and_no_band_under_a_landscape_cover(server, browser):
    app, base = server
    listing_id = _listing(app, [images.encode(images.product_photo(1600, 1000, seed=61)),
                                images.encode(images.product_photo(900, 1400, seed=62))])
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/listings/{listing_id}?lang=en", wait_until="load")
    expect(page.locator(".gallery img")).to_have_count(2)
    expect(page.locator("#photo-1 [data-test=photo-count]")).to_have_text("1/2")
    expect(page.locator("[data-test=photo-strip] img")).to_have_count(2)
    cover = page.locator("#photo-1 img")
    gallery, shown = page.locator(".gallery").bounding_box(), cover.bounding_box()
    ratio = int(cover.get_attribute("height")) / int(cover.get_attribute("width"))  # the landscape cover's shape
    assert ratio < 1 and shown["width"] > 300
    assert abs(gallery["height"] - shown["width"] * ratio) <= 2, "the gallery is as tall as the cover, no more"
    page.close()
