"""The storefront draws Hindi with the bundled Noto Sans Devanagari, bold included (issue 19, m22): system fonts
come after it, so a machine whose system-ui has no Devanagari no longer shows bold Hindi as boxes."""
from __future__ import annotations

import pytest

from tests.support.browser import chromium, needs_chromium, serving
from tests.support.shop import Shop

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, needs_chromium]
NOTO = '"Noto Sans Devanagari"'


def test_bold_and_regular_hindi_on_the_storefront_use_the_bundled_font(make_app, photo_jpeg):
    app = make_app(config={"DESK_WHATSAPP": "+919812345678"})
    listing_id = Shop(app, photo_jpeg).listing()
    with serving(app) as base, chromium() as browser:
        page = browser.new_page()
        for path in (f"/listings/{listing_id}", "/catalogue"):
            page.goto(base + path, wait_until="load")
            page.evaluate("document.fonts.ready")
            for selector in ("header .brand", "h1", "p.price" if "listings" in path else "header a[hreflang]"):
                family = page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")
                assert family.startswith(NOTO), (path, selector, family)
        loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === "loaded")
                                          .map(f => f.family + " " + f.weight)""")
        assert {"Noto Sans Devanagari 700", "Noto Sans Devanagari 400"} <= set(loaded)  # bold Hindi was drawn with it
        assert page.evaluate(f"document.fonts.check('700 20px {NOTO}', 'हुनर')")
