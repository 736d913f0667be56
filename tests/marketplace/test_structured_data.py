"""schema.org Product JSON-LD on listing pages (issue 19, m23): what search engines read, and no way out of it."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from db.models import Listing
from tests.support.shop import PANJA, Shop

HOSTILE = '</script><script>alert(1)</script><!-- "quoted" & \u2028'


class Scripts(HTMLParser):
    """Every <script> element of a page as the browser's parser splits them: (attributes, text)."""

    def __init__(self, page: str):
        super().__init__()
        self.found: list[list] = []
        self.inside = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append([dict(attrs), ""])
            self.inside = True

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "script"

    def handle_data(self, data):
        if self.inside:
            self.found[-1][1] += data


def _product(page: str) -> dict:
    scripts = Scripts(page).found
    assert [attrs for attrs, _ in scripts] == [{"type": "application/ld+json"}]
    return json.loads(scripts[0][1])


def test_a_listing_page_describes_its_product_for_search_engines(make_app, photo_jpeg):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example", "DESK_WHATSAPP": "+919812345678"})
    shop = Shop(app, photo_jpeg)
    listing_id = shop.listing(photos=2)
    page = app.test_client().get(f"/listings/{listing_id}?lang=en").get_data(as_text=True)
    product = _product(page)
    assert product["@context"] == "https://schema.org" and product["@type"] == "Product"
    assert product["name"] == "Handwoven red cotton panja durrie, 6 × 4 ft, from Panipat, Haryana"
    assert product["sku"] == f"HUN{listing_id:07d}" and product["brand"] == {"@type": "Brand", "name": "Hunar"}
    assert product["description"].startswith("Handwoven") and product["description"] != product["name"]
    cover = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    assert product["image"] == cover and cover.startswith("https://hunar.example/media/")
    assert product["offers"] == {"@type": "Offer", "price": "1200.00", "priceCurrency": "INR",
                                 "availability": "https://schema.org/InStock",
                                 "itemCondition": "https://schema.org/NewCondition",
                                 "url": f"https://hunar.example/listings/{listing_id}?lang=en"}


def test_a_sold_out_listing_says_so_and_the_hindi_page_carries_the_hindi_name(app, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    listing_id = shop.listing()
    shop.change(listing_id, {"quantity": 0})
    product = _product(app.test_client().get(f"/listings/{listing_id}").get_data(as_text=True))
    assert product["offers"]["availability"] == "https://schema.org/SoldOut"
    assert product["name"] == "हाथ से बुनी लाल सूती पंजा दरी, 6 × 4 फुट, पानीपत, हरियाणा से"


def test_a_hostile_title_stays_inside_the_json_and_reads_back_exactly(app, photo_jpeg):
    shop = Shop(app, photo_jpeg)
    listing_id = shop.listing(fields={**PANJA, "product": {"hi": None, "en": HOSTILE}})
    with app.extensions["hunar"].db.session() as s:
        title = s.get(Listing, listing_id).title["en"]
    assert HOSTILE in title  # the builder put the artisan's words in the title as they came
    page = app.test_client().get(f"/listings/{listing_id}?lang=en").get_data(as_text=True)
    assert "<script>alert" not in page and "<!--" not in page
    assert _product(page)["name"] == title  # one script element, and it holds the title exactly
