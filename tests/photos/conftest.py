"""Fixtures for the photo tests: a media store in a temporary folder and the generated photos."""
import pytest

from fakes import images
from marketplace.photos import LocalMediaStore


@pytest.fixture
def store(tmp_path):
    return LocalMediaStore(tmp_path / "media", base_url="https://hunar.example/media")


@pytest.fixture(scope="session")
def sharp_image():
    return images.product_photo()


@pytest.fixture(scope="session")
def sharp_jpeg(sharp_image):
    return images.encode(sharp_image)
