"""End to end in headless Chromium: an artisan gets stuck in the simulator, staff see it live, take over, reply,
fix the price and hand back; the bot answers the artisan's next message at the chosen step."""
from __future__ import annotations

import re

import pytest

from fakes import images
from tests.support.browser import chromium, live, log_in, needs_chromium, probe_live, serving
from tests.support.desk import PASSWORD, make_staff
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
    """The app on a real local HTTP server (127.0.0.1, a free port), threaded like `python app.py`."""
    app = make_app()
    with serving(app) as base:
        yield app, base


def _to_price_step(app, number: str) -> WhatsApp:
    phone = WhatsApp(app.test_client(), number)
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    phone.send_photo(images.encode(images.product_photo(1200, 900, seed=4)))
    for text in ("बस", "दरी", "सूती", "लाल और नीला", "6 बाई 4 फीट"):
        phone.say(text)
    assert phone.state()["conversation"]["step"] == "price"
    return phone


def test_stuck_artisan_is_helped_and_handed_back_to_the_bot(server, browser):
    app, base = server
    number = "+919812300001"
    phone = _to_price_step(app, number)
    make_staff(app, "asha")

    desk = browser.new_context()
    probe_live(desk)
    staff = log_in(desk.new_page(), base, "asha", PASSWORD, timeout=TIMEOUT)
    expect(staff.locator("h1")).to_contain_text("Waiting for help")
    expect(staff.locator("#queue-rows")).to_contain_text("Nobody is waiting")
    live(staff)

    # The artisan, on the simulator page, asks for a person.
    artisan = browser.new_context().new_page()
    artisan.set_default_timeout(TIMEOUT)
    artisan.goto(f"{base}/simulator/")
    artisan.fill("#from", number)
    artisan.dispatch_event("#from", "change")
    artisan.fill("#text", "इंसान से बात करनी है")
    artisan.press("#text", "Enter")
    expect(artisan.locator("#chat")).to_contain_text("हमारी टीम")

    # It appears in the queue without a reload, with its reason and the count in the title.
    row = staff.locator("#queue-rows tr[data-conversation]").filter(has_text="सुनीता देवी")
    expect(row).to_contain_text("Asked for a person")
    expect(row).to_contain_text("सुनीता देवी")
    expect(row).to_contain_text("price")
    expect(staff).to_have_title(re.compile(r"^\(1\) "))

    # Take over; the artisan is told a person is helping; the bot stays silent meanwhile.
    row.get_by_role("link", name="सुनीता देवी").click()
    staff.click("#claim")
    expect(staff.locator(".flash").filter(has_text="You are helping")).to_be_visible()
    expect(artisan.locator("#chat")).to_contain_text("मैं asha")
    live(staff)
    assert phone.say("कीमत समझ नहीं आ रही") == []
    expect(staff.locator("#transcript")).to_contain_text("कीमत समझ नहीं आ रही")  # live, no reload

    # Reply, fix the price, hand back at the quantity step.
    staff.fill("#reply-text", "मैंने कीमत 1500 रुपये लिख दी है")
    staff.locator("form.composer").get_by_role("button", name="Send").click()
    expect(artisan.locator("#chat")).to_contain_text("मैंने कीमत 1500 रुपये लिख दी है")
    staff.fill("#field-price", "पंद्रह सौ रुपये")
    staff.locator("#field-price").press("Enter")
    expect(staff.locator("tr", has=staff.locator("#field-price"))).to_contain_text("₹1500")
    staff.select_option("#hand-back-step", "quantity")
    staff.click("#hand-back")
    expect(staff.locator(".flash").filter(has_text="Handed back to the bot at quantity")).to_be_visible()
    expect(staff.locator("#queue-rows")).to_contain_text("Nobody is waiting")

    # The bot asks the quantity question, and answers the artisan's next message at that step.
    expect(artisan.locator("#chat")).to_contain_text("कितने")
    artisan.fill("#text", "5")
    artisan.press("#text", "Enter")
    expect(artisan.locator("#state")).to_contain_text("description")
    state = phone.state()
    assert state["conversation"]["mode"] == "bot" and state["conversation"]["step"] == "description"
    assert state["draft"]["price"]["amount"] == 1500 and state["draft"]["quantity"] == 5
