"""Fixtures for the photo tests: a media store in a temporary folder and the generated photos."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:  # the repo root, so `marketplace` imports however pytest is started
    sys.path.insert(0, ROOT)
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from marketplace.photos import LocalMediaStore  # noqa: E402
import images  # noqa: E402


@pytest.fixture
def store(tmp_path):
    return LocalMediaStore(tmp_path / "media", base_url="https://hunar.example/media")


@pytest.fixture(scope="session")
def sharp_image():
    return images.product_photo()


@pytest.fixture(scope="session")
def sharp_jpeg(sharp_image):
    return images.encode(sharp_image)
