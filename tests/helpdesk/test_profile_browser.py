"""In headless Chromium: staff correct an artisan's name and district on the Artisan card without taking over; the
bot then greets the artisan by the corrected name."""
from __future__ import annotations

import pytest

from tests.support.browser import chromium, log_in, needs_chromium, serving
from tests.support.desk import PASSWORD, conversation_id, make_staff
from tests.support.whatsapp import WhatsApp

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = needs_chromium
expect = playwright_api.expect
TIMEOUT = 15_000


@pytest.fixture
def server(make_app):
    app = make_app()
    with serving(app) as base:
        yield app, base


def test_staff_fix_a_name_taken_from_a_district_on_the_artisan_card(server):
    app, base = server
    phone = WhatsApp(app.test_client(), "+919812300077")
    for text in ("नमस्ते", "हाँ", "हिसार", "हाँ", "हिसार", "जूती"):  # "Hisar" kept as the name after the check
        phone.say(text)
    make_staff(app, "asha")
    with chromium() as browser:
        page = log_in(browser.new_context().new_page(), base, "asha", PASSWORD, timeout=TIMEOUT)
        page.goto(f"{base}/helpdesk/c/{conversation_id(app, phone.number)}")
        expect(page.locator("#profile-name")).to_have_value("हिसार")
        page.fill("#profile-name", "सुनीता")
        page.fill("#profile-district", "Hisar (हिसार)")
        page.click("#profile-save")
        expect(page.locator(".flash")).to_contain_text("Saved: name.")
        expect(page.locator("#profile-name")).to_have_value("सुनीता")
        expect(page.locator("#assignee")).to_have_text("nobody")
        expect(page.locator("#claim")).to_be_visible()
    assert "नमस्ते सुनीता जी" in phone.say("नमस्ते")[0]["text"]
