"""In headless Chromium, on a phone-sized screen: an artisan sends a listing for review; staff see it in the queue at
once (stacked to fit 390 px, its waiting time ticking) and approve it from the queue row without taking the
conversation over. The artisan, on the simulator page, gets exactly one message, with the listing's link."""
from __future__ import annotations

import pytest

from tests.helpdesk.test_review import BASE, last_id, sent_after, submitted
from tests.support.browser import chromium, live, log_in, needs_chromium, probe_live, serving
from tests.support.desk import PASSWORD, conversation_id, make_staff

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = needs_chromium
expect = playwright_api.expect
TIMEOUT = 15_000
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": BASE})
    with serving(app) as base:
        yield app, base


def _staff_page(browser, base: str, name: str):
    desk = browser.new_context(viewport=PHONE, is_mobile=True)
    probe_live(desk)
    page = log_in(desk.new_page(), base, name, PASSWORD, timeout=TIMEOUT)
    expect(page.locator("h1")).to_contain_text("Waiting for help")
    return page


def test_staff_approve_from_the_queue_without_taking_over_and_the_artisan_gets_one_message(server, browser):
    app, base = server
    phone, listing_id = submitted(app, "कमला देवी")
    cid = conversation_id(app, phone.number)
    before = last_id(phone)
    make_staff(app, "asha")

    artisan = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    artisan.set_default_timeout(TIMEOUT)
    artisan.goto(f"{base}/simulator/")
    artisan.fill("#from", phone.number)
    artisan.dispatch_event("#from", "change")
    expect(artisan.locator("#chat")).to_contain_text("जाँच के लिए भेज दिया")
    staff_bubbles = artisan.locator("#chat li.msg.out.staff")
    expect(staff_bubbles).to_have_count(0)

    staff = _staff_page(browser, base, "asha")
    live(staff)
    row = staff.locator(f"#queue-rows tr[data-conversation='{cid}']")
    expect(row).to_contain_text("Listing waiting for review")
    expect(row).to_contain_text(f"Listing #{listing_id} waiting: दरी")
    expect(row).to_contain_text("कमला देवी")

    # m19: the queue fits the phone's width; m20: the waiting time ticks without a reload.
    assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    waiting = row.locator("time[data-since]")
    shown = waiting.inner_text()
    staff.wait_for_function("([el, was]) => el.textContent !== was", arg=[waiting.element_handle(), shown])

    row.get_by_role("button", name=f"Approve and publish listing {listing_id}").click()
    expect(staff.locator(".flash")).to_contain_text(f"Listing {listing_id} published")
    expect(staff.locator("#queue-rows")).to_contain_text("Nobody is waiting")

    # The artisan's page shows one staff message, with the link; no greeting ever came.
    expect(staff_bubbles).to_have_count(1)
    expect(staff_bubbles).to_contain_text(f"{BASE}/listings/{listing_id}")
    expect(artisan.locator("#chat")).not_to_contain_text("हुनर टीम से")
    [message] = sent_after(phone, before)
    assert f"{BASE}/listings/{listing_id}" in message["text"] and "बिक्री पर है" in message["text"]
    state = phone.state()
    assert state["conversation"]["mode"] == "bot" and state["conversation"]["flagged"] is None
    assert state["listings"][-1]["status"] == "published"
    page = staff.context.request.get(f"{base}/helpdesk/c/{cid}").text()
    assert '<dd id="assignee">nobody</dd>' in page


def test_staff_reject_from_the_conversation_page_without_taking_over(server, browser):
    app, base = server
    phone, listing_id = submitted(app)
    cid = conversation_id(app, phone.number)
    before = last_id(phone)
    make_staff(app, "asha")
    staff = _staff_page(browser, base, "asha")
    staff.locator(f"#queue-rows tr[data-conversation='{cid}']").get_by_role("link", name="सुनीता देवी").click()
    expect(staff.locator("#claim")).to_be_visible()  # nobody holds it, and nobody needs to
    card = staff.locator(f"#listing-{listing_id}")
    card.get_by_role("textbox", name=f"reason to reject listing {listing_id}").fill("फोटो धुंधली है")
    card.get_by_role("button", name=f"Reject listing {listing_id}").click()
    expect(staff.locator(".flash")).to_contain_text("with the reason")
    expect(staff.locator("#assignee")).to_have_text("nobody")
    [message] = sent_after(phone, before)
    assert "कारण: फोटो धुंधली है" in message["text"]
    assert phone.state()["conversation"]["mode"] == "bot"
