"""F3: an anonymous request cannot make a worker read or parse a big body."""
from __future__ import annotations

import io

from tests.support.twilio import Twilio

FOUR_MB = 4 * 1024 * 1024


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it the app read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size=-1):
        chunk = super().readline(size)
        self.taken += len(chunk)
        return chunk


def _post(app, path: str, body: bytes, **headers):
    stream = CountingStream(body)
    resp = app.test_client().post(path, input_stream=stream, content_length=len(body), headers=headers,
                                  content_type="application/x-www-form-urlencoded")
    return resp, stream.taken


def test_f3_an_unsigned_4mb_webhook_is_refused_without_reading_it(twilio_app):
    body = b"Body=" + b"x" * FOUR_MB
    for headers in ({}, {"X-Twilio-Signature": "not-base64-of-an-hmac"}, {"X-Twilio-Signature": "x" * 5000}):
        resp, taken = _post(twilio_app, "/webhooks/twilio", body, **headers)
        assert resp.status_code == 403 and taken == 0, headers
        assert _post(twilio_app, "/webhooks/twilio/status", body, **headers)[0].status_code == 403


def test_f3_a_webhook_over_64kb_is_refused_before_parsing_even_with_a_plausible_signature(twilio_app):
    resp, taken = _post(twilio_app, "/webhooks/twilio", b"Body=" + b"x" * (65 * 1024),
                        **{"X-Twilio-Signature": "L/OH5YylLD5NRKLltdqwSvS0BnU="})
    assert resp.status_code == 413 and taken == 0


def test_f3_signed_webhooks_of_a_normal_size_still_work(twilio_app, twilio: Twilio):
    assert twilio.say("नमस्ते " * 200).status_code == 200


def test_f3_other_routes_take_small_bodies_and_few_form_parts(app):
    resp, taken = _post(app, "/helpdesk/login", b"name=a&password=" + b"x" * FOUR_MB)
    assert resp.status_code == 413 and taken == 0
    many = {f"f{n}": "1" for n in range(1000)}  # 100 KB, but a thousand multipart parts to parse
    resp = app.test_client().post("/helpdesk/login", data=many, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert app.config["MAX_CONTENT_LENGTH"] <= 256 * 1024 and app.config["MAX_FORM_PARTS"] <= 200
