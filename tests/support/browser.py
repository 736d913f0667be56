"""Headless Chromium for browser tests (Debian's, never a downloaded one) and the app on a real local server."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Installed before a page's own scripts: notes when the helpdesk page's live stream (EventSource) is open, or has
# given up and left the page polling, in window.__hunarLive.
LIVE_PROBE = """
(() => {
  const Real = window.EventSource;
  if (!Real) return;
  function Probed(url, options) {
    const source = new Real(url, options);
    let errors = 0;
    source.addEventListener("open", () => { window.__hunarLive = "open"; });
    source.addEventListener("error", () => {
      errors += 1;
      if (source.readyState === Real.CLOSED || errors > 3) window.__hunarLive = "polling";
    });
    return source;
  }
  Probed.prototype = Real.prototype;
  Probed.CONNECTING = Real.CONNECTING; Probed.OPEN = Real.OPEN; Probed.CLOSED = Real.CLOSED;
  window.EventSource = Probed;
})();
"""


@contextmanager
def chromium():
    """One headless Chromium for a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def serving(app):
    """The app on a real HTTP server (127.0.0.1, a free port), threaded like `python app.py`; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(5)


def probe_live(context) -> None:
    """Every page of this browser context records the state of its live stream (see `live`)."""
    context.add_init_script(LIVE_PROBE)


def live(page) -> None:
    """Wait until the page hears live updates: its stream is open (or it gave up and polls every 5 s).

    Anything published before that is never seen by the page, so a test waits here before making news."""
    page.wait_for_function("() => window.__hunarLive !== undefined")


def log_in(page, base: str, name: str, password: str, *, timeout: int = 15_000):
    """Log `page` in to the helpdesk as staff `name`; returns the page, on the queue (or where the login sent it)."""
    page.set_default_timeout(timeout)
    page.goto(f"{base}/helpdesk/")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page
