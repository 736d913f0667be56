"""Marketplace fixtures: the data cases, a phone photo, and a `shop` that makes listings the real way."""
from __future__ import annotations

import pytest

from fakes import images
from tests.support.shop import CASES, Shop


@pytest.fixture(scope="session")
def cases() -> dict:
    return CASES


@pytest.fixture(scope="session")
def photo_jpeg() -> bytes:
    """A sharp 1200×900 photo of a durrie, as a phone would send it."""
    return images.encode(images.product_photo(1200, 900, seed=7))


@pytest.fixture
def shop(app, photo_jpeg) -> Shop:
    return Shop(app, photo_jpeg)
