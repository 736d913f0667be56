"""The simulator page asks for a conversation only once there is one (issue 19, m24): a new artisan's number is
not polled into a console full of 404s, and the site icon is served."""
from __future__ import annotations

import pytest

from tests.support.browser import chromium, needs_chromium, serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, needs_chromium]
expect = playwright_api.expect
TIMEOUT = 15_000
POLLS = "/simulator/api/conversations/"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def simulator(make_app, browser):
    """A fresh browser (nothing in localStorage) on the simulator, its clock under the test's control, and the
    requests it made and the answers it got."""
    app = make_app(config={"PUBLIC_BASE_URL": "http://127.0.0.1"})
    with serving(app) as base:
        context = browser.new_context()
        page = context.new_page()
        seen = {"requests": [], "failed": [], "console": []}
        page.on("request", lambda r: seen["requests"].append((r.method, r.url)))
        page.on("response", lambda r: r.status >= 400 and seen["failed"].append((r.status, r.url)))
        page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
        page.clock.install()
        page.goto(f"{base}/simulator/", wait_until="load")
        try:
            yield page, seen
        finally:
            context.close()


def _polls(seen: dict, number: str) -> list:
    return [url for method, url in seen["requests"] if POLLS in url and url.endswith(number.replace("+", "%2B"))]


def _say(page, text: str) -> None:
    before = page.locator("#chat li.msg.out").count()
    page.locator("#text").fill(text)
    page.locator("#send").click()
    expect(page.locator("#chat li.msg.out")).not_to_have_count(before, timeout=TIMEOUT)


def test_a_new_artisans_number_is_not_polled_before_the_first_message(simulator):
    page, seen = simulator
    number = page.locator("#from").input_value()
    page.clock.run_for(30_000)  # twelve polling rounds of 2.5 s
    assert _polls(seen, number) == [] and seen["failed"] == [] and seen["console"] == []

    _say(page, "namaste")
    page.clock.run_for(5_000)
    assert len(_polls(seen, number)) >= 2  # after the first message the panel follows the conversation
    expect(page.locator("#state")).to_contain_text("flow", timeout=TIMEOUT)

    page.locator("#new-artisan").click()
    fresh = page.locator("#from").input_value()
    assert fresh != number
    page.clock.run_for(30_000)
    assert _polls(seen, fresh) == [] and seen["failed"] == [] and seen["console"] == []
    expect(page.locator("#chat li")).to_have_count(0)


def test_the_site_icon_is_served_so_no_page_logs_a_404(simulator):
    page, seen = simulator
    origin = page.url.split("/simulator/")[0]
    response = page.request.get(f"{origin}/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"
    for path in ("/catalogue", "/helpdesk/login", "/simulator/"):
        page.goto(origin + path, wait_until="load")
    assert seen["failed"] == [] and seen["console"] == []
