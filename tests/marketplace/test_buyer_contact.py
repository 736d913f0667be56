"""A way to buy, always (issue 19, M8): production needs the desk's WhatsApp, and a production page offers it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import config
from tests.support.shop import Shop

ROOT = Path(__file__).resolve().parents[2]
STRONG = "8f3a1c9e2b7d4f6a0c5e9b2d7f1a3c8e"
DESK = "+919812345678"


def _production(**extra) -> dict:
    return config.load({"ENV": "production", "SECRET_KEY": STRONG, **extra}, environ={})


@pytest.mark.parametrize("desk", [None, "", "+91XXXXXXXXXX", "12345", "+91 98123 45678 999 999"])
def test_production_refuses_to_start_without_a_desk_number_buyers_can_reach(desk):
    with pytest.raises(config.ConfigError, match="HUNAR_DESK_WHATSAPP"):
        config.check(_production(DESK_WHATSAPP=desk))


@pytest.mark.parametrize("desk", [DESK, "+91 98123 45678", 919812345678, "+1 415 523 8886"])
def test_production_starts_with_a_desk_number_written_any_usual_way(desk):
    config.check(_production(DESK_WHATSAPP=desk))


def test_the_example_env_file_names_the_desk_number_and_its_placeholder_is_refused():
    example = (ROOT / "deploy" / "env.example").read_text()
    line = next(line for line in example.splitlines() if line.startswith("HUNAR_DESK_WHATSAPP="))
    with pytest.raises(config.ConfigError, match="HUNAR_DESK_WHATSAPP"):
        config.check(config.load(environ={"HUNAR_ENV": "production", "HUNAR_SECRET_KEY": STRONG,
                                          "HUNAR_DESK_WHATSAPP": line.split("=", 1)[1]}))


def test_development_still_starts_without_a_desk_number():
    config.check(config.load({"ENV": "development"}, environ={}))


def test_a_production_listing_page_offers_buying_on_whatsapp_in_both_languages(make_app, photo_jpeg):
    app = make_app(config={"ENV": "production", "SECRET_KEY": STRONG, "DESK_WHATSAPP": DESK})
    listing_id = Shop(app, photo_jpeg).listing()
    client = app.test_client()
    for lang in ("hi", "en"):
        page = client.get(f"/listings/{listing_id}?lang={lang}").get_data(as_text=True)
        buy = re.findall(r'class="buy" href="([^"]+)"', page)
        assert len(buy) == 1 and buy[0].startswith("https://wa.me/919812345678?text=")
