"""F1 end to end in headless Chromium: an artisan sends a web page and a script through the upload page and the
simulator; an admin opens the conversation and clicks everything; no script runs and no staff account changes."""
from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from db.models import StaffUser
from tests.support.browser import chromium, needs_chromium, serving
from tests.support.desk import PASSWORD, conversation_id, make_staff
from tests.support.whatsapp import WhatsApp

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, needs_chromium]
expect = playwright_api.expect
TIMEOUT = 15_000

# Were any of these to run with our origin's rights, they would make a new admin and say so.
ATTACK = ("console.log('PWNED'); alert('PWNED');"
          "fetch('/helpdesk/admin/staff', {method: 'POST', credentials: 'include', body: new URLSearchParams("
          "{name: 'mallory', role: 'admin', password: 'Mallory-was-here-2026'})});")
PAGE = f"<!doctype html><html><body><h1>hi</h1><script>{ATTACK}</script></body></html>".encode()
SCRIPT = ATTACK.encode()
FILES = [("page.html", "text/html", PAGE), ("evil.js", "text/javascript", SCRIPT),
         ("photo.jpg", "image/jpeg", PAGE), ("voice.ogg", "audio/ogg", PAGE), ("doc.pdf", "application/pdf", PAGE)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": "http://127.0.0.1"})
    with serving(app) as base:
        yield app, base


def _staff(app) -> list[tuple]:
    with app.extensions["hunar"].db.session() as s:
        return [(u.name, u.role, u.password_hash, u.active) for u in s.scalars(select(StaffUser).order_by(StaffUser.id))]


def _watch(page, seen: list[str]) -> None:
    """Any script of the artisan's that ran would log, alert or navigate: record all of it."""
    page.on("console", lambda msg: seen.append(f"console: {msg.text}"))
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))


def test_f1_pages_and_scripts_an_artisan_sends_never_run_for_staff(server, browser):
    app, base = server
    admin = make_staff(app, "ravi", role="admin")
    before = _staff(app)
    seen: list[str] = []
    context = browser.new_context(accept_downloads=True)

    # Through the upload page (an SMS artisan's one-time link): every file is refused as not a photo.
    sms = WhatsApp(app.test_client(), number="+919812300011", channel="sms")
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        sms.say(text)
    link = re.search(r"https?://\S+/u/([\w-]+)", sms.text).group(1)
    upload = context.new_page()
    upload.set_default_timeout(TIMEOUT)
    _watch(upload, seen)
    upload.goto(f"{base}/u/{link}")
    upload.set_input_files("input[type=file]", [{"name": n, "mimeType": t, "buffer": b} for n, t, b in FILES])
    upload.click("button[type=submit]")
    expect(upload.locator("main")).to_contain_text("फोटो नहीं")

    # Through the simulator page's attach button, as a WhatsApp artisan (onboarded through its API).
    number = "+919812300012"
    onboarded = WhatsApp(app.test_client(), number=number)
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        onboarded.say(text)
    chat = context.new_page()
    chat.set_default_timeout(TIMEOUT)
    _watch(chat, seen)
    chat.goto(f"{base}/simulator/")
    chat.fill("#from", number)
    chat.dispatch_event("#from", "change")
    expect(chat.locator("#chat")).to_contain_text("फोटो भेजें")
    for n, (name, kind, data) in enumerate(FILES, start=1):
        chat.set_input_files("#file", [{"name": name, "mimeType": kind, "buffer": data}])
        expect(chat.locator("#chat li", has_text="नहीं रखते")).to_have_count(n)

    # The admin opens both conversations, takes one over, and opens every link on the pages.
    desk = context.new_page()
    desk.set_default_timeout(TIMEOUT)
    _watch(desk, seen)
    desk.goto(f"{base}/helpdesk/")
    desk.fill("input[name=name]", admin.name)
    desk.fill("input[name=password]", PASSWORD)
    desk.click("button[type=submit]")
    expect(desk.locator("h1")).to_be_visible()
    opened = 0
    for phone_number in (sms.number, number):
        cid = conversation_id(app, phone_number)
        desk.goto(f"{base}/helpdesk/c/{cid}")
        desk.click("#claim")
        expect(desk.locator("#claim")).to_have_count(0)
        hrefs = {urljoin(desk.url, h) for h in desk.locator("a[href]").evaluate_all("els => els.map(e => e.href)")}
        sources = desk.locator("audio[src], img[src]").evaluate_all("els => els.map(e => e.src)")
        for href in sorted(hrefs | set(sources)):
            if not href.startswith(base) or "logout" in href:
                continue
            tab = context.new_page()
            _watch(tab, seen)
            try:
                tab.goto(href)
            except playwright_api.Error as exc:  # a file served as an attachment is a download, never a page
                assert "Download is starting" in str(exc), (href, str(exc))
            tab.close()
            opened += 1
    assert opened >= 10
    assert not [s for s in seen if "PWNED" in s], seen
    assert _staff(app) == before, "no staff account was made or changed"
    context.close()
