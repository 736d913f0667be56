"""A test driver that makes artisans and listings the real way (photos through process_photo, create_listing)."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path

import yaml

from db.models import Artisan, Listing, Photo
from marketplace import listings
from marketplace.photos import process_photo

CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "marketplace" / "cases.yml").read_text("utf-8"))
PHONES = itertools.count(919812300001)  # unique across every Shop in a test
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=timezone.utc)

PANJA = CASES["builder"][0]["fields"]  # a red cotton panja durrie, 6 × 4 ft, ₹1200, 5 in stock


def checked_photos(session, store, artisan_id: int, pictures: list[bytes]) -> list[int]:
    """The pictures checked and stored as the bot does (process_photo), as the artisan's photos; their ids, in order."""
    ids = []
    for data in pictures:
        result = process_photo(data, store=store)
        photo = Photo(artisan_id=artisan_id, sha256=result.sha256, verdict=result.verdict, reason=result.reason,
                      content_type=result.derivatives["main"]["content_type"], width=result.width,
                      height=result.height, files=dict(result.derivatives))
        session.add(photo)
        session.flush()
        ids.append(photo.id)
    return ids


class Shop:
    """Makes artisans and listings in an app's database, through marketplace.listings like the bot does."""

    def __init__(self, app, photo: bytes):
        self.services = app.extensions["hunar"]
        self.photo = photo

    def artisan(self, name="Sunita Devi", district="Panipat", craft="durrie weaving") -> int:
        phone = next(PHONES)
        with self.services.db.session() as s:
            artisan = Artisan(address=f"whatsapp:+{phone}", phone=f"+{phone}", name=name,
                              district=district, craft=craft)
            s.add(artisan)
            s.flush()
            return artisan.id

    def listing(self, artisan_id: int | None = None, fields: dict | None = None, *, photos: int = 1,
                review: bool = False) -> int:
        artisan_id = artisan_id or self.artisan()
        store = self.services.media_store
        with self.services.db.session() as s:
            ids = checked_photos(s, store, artisan_id, [self.photo] * photos)
            listing = listings.create_listing(s, artisan_id=artisan_id, slots=dict(fields or PANJA),
                                              photo_ids=ids, review=review, now=NOW)
            return listing.id

    def change(self, listing_id: int, changes: dict, actor: str = "staff:1") -> None:
        with self.services.db.session() as s:
            listings.change(s, s.get(Listing, listing_id), changes, now=NOW, actor=actor)

    def move(self, listing_id: int, status: str) -> None:
        with self.services.db.session() as s:
            listings.move(s, s.get(Listing, listing_id), status, now=NOW, actor="staff:1")


def ebay_settings(fake, **more) -> dict:
    """Settings that point an app at a fakes.ebay.FakeEbay and publish listings without staff review."""
    return {"EBAY_API_BASE": fake.url, "EBAY_CLIENT_ID": fake.client_id, "EBAY_CLIENT_SECRET": fake.client_secret,
            "EBAY_REFRESH_TOKEN": fake.refresh_token, "EBAY_CATEGORY_ID": "45510",
            "EBAY_FULFILLMENT_POLICY_ID": "6000001", "EBAY_PAYMENT_POLICY_ID": "6000002",
            "EBAY_RETURN_POLICY_ID": "6000003", "INR_PER_USD": 88.0,
            "PUBLIC_BASE_URL": "https://hunar.example", "LISTING_REVIEW": 0, **more}
