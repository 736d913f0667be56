"""/favicon.ico is an icon, not a 404 (issue 19, m24), and the storefront names it and puts the bundled font first."""
from __future__ import annotations

import io
import re

from PIL import Image


def test_the_site_icon_is_a_small_icon_browsers_may_keep_a_day(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.content_type == "image/x-icon"
    assert "max-age=86400" in resp.headers["Cache-Control"] and len(resp.data) < 4096
    icon = Image.open(io.BytesIO(resp.data))
    assert icon.format == "ICO" and icon.size == (32, 32)


def test_storefront_pages_link_the_icon_and_start_their_font_stack_with_the_bundled_font(client):
    page = client.get("/catalogue").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in page
    stack = re.search(r"body\{[^}]*font:[^;}]*", page).group(0)
    assert re.search(r'font:\S+ "Noto Sans Devanagari",system-ui', stack), stack
