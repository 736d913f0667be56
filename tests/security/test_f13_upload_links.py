"""F13: a one-time upload link takes one upload, even when many are sent at once, and no file over the cap."""
from __future__ import annotations

import io
import re
import threading

from sqlalchemy import func, select

from db.models import Photo
from fakes.images import encode, product_photo
from tests.support.whatsapp import WhatsApp


def _link(app) -> tuple[WhatsApp, str]:
    phone = WhatsApp(app.test_client(), channel="sms")
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
        phone.say(text)
    return phone, re.search(r"/u/([\w-]+)", phone.text).group(1)


def test_f13_eight_uploads_at_once_with_one_link_only_one_is_taken(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example"})
    _, token = _link(app)
    photo = encode(product_photo(900, 700))
    start, statuses = threading.Barrier(8), []

    def upload():
        client = app.test_client()
        start.wait()
        resp = client.post(f"/u/{token}", data={"photos": [(io.BytesIO(photo), "p.jpg")]},
                           content_type="multipart/form-data")
        statuses.append(resp.status_code)

    threads = [threading.Thread(target=upload) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [410] * 7
    with app.extensions["hunar"].db.session() as s:
        assert s.scalar(select(func.count(Photo.id))) == 1


def test_f13_a_file_over_the_photo_cap_is_refused_and_the_link_kept(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar.example", "MEDIA_MAX_IMAGE_BYTES": 200_000})
    phone, token = _link(app)
    client = app.test_client()
    big = encode(product_photo(900, 700)) + bytes(300_000)  # a JPEG with 300 KB of trailing bytes
    resp = client.post(f"/u/{token}", data={"photos": [(io.BytesIO(big), "p.jpg")]},
                       content_type="multipart/form-data")
    assert resp.status_code == 413 and "बहुत बड़ी" in resp.get_data(as_text=True)
    huge = client.post(f"/u/{token}", data={"photos": [(io.BytesIO(bytes(3_000_000)), "p.jpg")]},
                       content_type="multipart/form-data")  # over the whole page's cap: refused before reading
    assert huge.status_code == 413
    assert client.get(f"/u/{token}").status_code == 200  # still usable
