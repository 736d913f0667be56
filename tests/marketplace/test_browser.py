"""The storefront tried as a buyer would: a phone-sized headless Chromium on a real local server."""
from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.shop import Shop

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs Debian's Chromium at {CHROMIUM}")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(make_app, photo_jpeg):
    """The app on a real HTTP server on 127.0.0.1, with one listing of two photos."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = make_app(config={"PUBLIC_BASE_URL": base, "DESK_WHATSAPP": "+911725550123"})
    listing_id = Shop(app, photo_jpeg).listing(photos=2)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, listing_id
    server.shutdown()
    thread.join(timeout=5)


def test_a_listing_page_on_a_phone_shows_photos_price_and_the_buy_button(served):
    sync_api = pytest.importorskip("playwright.sync_api")
    base, listing_id = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    has_touch=True)
            page.goto(f"{base}/listings/{listing_id}?lang=en", wait_until="load")
            photos = page.locator(".gallery img")
            assert photos.count() == 2
            first = photos.first
            assert first.evaluate("img => img.complete && img.naturalWidth") >= 320  # the photo really loaded
            box = first.bounding_box()
            assert box["width"] > 300 and box["x"] >= 0 and box["x"] + box["width"] <= 390  # fills the phone's width
            price = page.locator("[data-test=price]")
            assert price.is_visible() and "₹1,200" in price.inner_text()
            buy = page.locator("a.buy")
            assert buy.is_visible() and buy.get_attribute("href").startswith("https://wa.me/911725550123")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
            page.screenshot(path=str(ARTIFACTS / "storefront-listing-390x844.png"), full_page=True)

            page.goto(f"{base}/listings/{listing_id}", wait_until="load")  # Hindi, the default
            assert page.locator("html").get_attribute("lang") == "hi"
            assert "₹1,200" in page.locator("[data-test=price]").inner_text()
            page.screenshot(path=str(ARTIFACTS / "storefront-listing-hi-390x844.png"))
        finally:
            browser.close()
    assert (ARTIFACTS / "storefront-listing-390x844.png").stat().st_size > 10_000
