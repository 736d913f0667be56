"""Media download: credentials only to Twilio, redirects checked hop by hop, caps while streaming, no SSRF."""
from __future__ import annotations

import pytest

from bot.filetypes import sniff_type
from bot.media import FetchError
from bot.twilio_media import TwilioMediaFetcher
from fakes.images import encode, product_photo
from fakes.twilio import ACCOUNT, TOKEN
from tests.support.twilio import Twilio, messages, twilio_settings

JPEG = encode(product_photo(800, 600))
PDF = b"%PDF-1.4\n" + b"0" * 500


@pytest.fixture
def fetcher(fake_twilio, cdn):
    return TwilioMediaFetcher(account_sid=ACCOUNT, auth_token=TOKEN, attempts=2, backoff=0,
                              hosts=f"127.0.0.1:{fake_twilio.port},127.0.0.1:{cdn.port},localhost*",
                              auth_hosts=f"127.0.0.1:{fake_twilio.port}")


def test_credentials_go_to_twilio_only_and_never_across_a_redirect(fetcher, fake_twilio, cdn):
    cdn_url = cdn.route("/secure/abc.jpg", (200, {"Content-Type": "image/jpeg"}, JPEG))
    url = fake_twilio.media_redirect(cdn_url)
    data, kind = fetcher.fetch(url, max_bytes=5 * 2**20)
    assert data == JPEG and kind == "image/jpeg"
    [first] = fake_twilio.requests("GET", "/2010-04-01")
    assert first.auth == (ACCOUNT, TOKEN)
    [second] = cdn.requests("GET")
    assert "authorization" not in second.headers


def test_a_media_url_on_another_allowed_host_gets_no_credentials(fetcher, cdn):
    url = cdn.route("/x.jpg", (200, {"Content-Type": "image/jpeg"}, JPEG))
    fetcher.fetch(url, max_bytes=5 * 2**20)
    assert "authorization" not in cdn.requests("GET")[0].headers


@pytest.mark.parametrize("url, says", [
    ("http://127.0.0.1:6379/", "not an allowed media host"),  # our Redis
    ("http://127.0.0.1/", "not an allowed media host"),
    ("file:///etc/passwd", "scheme"),
    ("ftp://api.twilio.com/x", "scheme"),
    ("gopher://127.0.0.1:6379/_FLUSHALL", "scheme"),
    ("http://169.254.169.254/latest/meta-data/", "not an allowed media host"),
    ("https://evil.example/x.jpg", "not an allowed media host"),
    ("https://api.twilio.com.evil.example/x", "not an allowed media host"),
    ("http://localhost/x", "private address"),  # allowed by a wildcard, but it resolves to loopback
])
def test_ssrf_attempts_are_refused_before_any_connection(fetcher, url, says):
    with pytest.raises(FetchError, match=says) as err:
        fetcher.fetch(url, max_bytes=2**20)
    assert err.value.retry is False


def test_credentials_in_the_url_are_refused(fetcher, fake_twilio):
    with pytest.raises(FetchError, match="credentials"):
        fetcher.fetch(f"http://u:p@127.0.0.1:{fake_twilio.port}/x", max_bytes=2**20)


@pytest.mark.parametrize("location", [
    "http://10.0.0.7/internal.jpg", "http://127.0.0.1:6379/", "file:///etc/passwd", "http://localhost/x.jpg",
    "http://[::1]:80/x", "https://evil.example/x.jpg",
])
def test_a_redirect_to_a_private_or_foreign_place_is_refused(fetcher, fake_twilio, location):
    with pytest.raises(FetchError, match="refused"):
        fetcher.fetch(fake_twilio.media_redirect(location), max_bytes=2**20)


def test_redirect_loops_end(fetcher, cdn):
    loop = cdn.route("/loop", (302, {"Location": "/loop"}, b""))
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.fetch(loop, max_bytes=2**20)


def test_size_cap_from_the_header_and_while_streaming(fetcher, cdn):
    big = b"\xff\xd8\xff" + b"0" * (2 * 2**20)
    declared = cdn.route("/declared.jpg", (200, {"Content-Type": "image/jpeg"}, big))
    with pytest.raises(FetchError, match="over the 1048576 byte limit"):
        fetcher.fetch(declared, max_bytes=2**20)
    streamed = cdn.route("/streamed.jpg", (200, {"Content-Type": "image/jpeg", "X-Chunked": "1"}, big))
    with pytest.raises(FetchError, match="over the 1048576 byte limit"):
        fetcher.fetch(streamed, max_bytes=2**20)
    ok = cdn.route("/ok.jpg", (200, {"Content-Type": "image/jpeg", "X-Chunked": "1"}, JPEG))
    assert fetcher.fetch(ok, max_bytes=2**20)[0] == JPEG


def test_content_is_sniffed_not_trusted(fetcher, cdn):
    lying = cdn.route("/photo.jpg", (200, {"Content-Type": "image/jpeg"}, PDF))
    assert fetcher.fetch(lying, max_bytes=2**20)[1] == "application/pdf"
    shy = cdn.route("/blob", (200, {"Content-Type": "application/octet-stream"}, JPEG))
    assert fetcher.fetch(shy, max_bytes=2**20)[1] == "image/jpeg"
    assert sniff_type(b"OggS\x00\x02", "audio/ogg") == "audio/ogg"
    assert sniff_type(b"\x00\x00\x00\x18ftypmp42", None) == "video/mp4"
    assert sniff_type(b"MZ\x90\x00", "image/jpeg") == "application/octet-stream"


def test_transient_failures_are_retried_then_given_up(fetcher, cdn):
    answers = iter([(503, {}, b""), (200, {"Content-Type": "image/jpeg"}, JPEG)])
    flaky = cdn.route("/flaky.jpg", lambda seen: next(answers))
    assert fetcher.fetch(flaky, max_bytes=2**20)[0] == JPEG
    down = cdn.route("/down.jpg", (500, {}, b""))
    with pytest.raises(FetchError, match="500"):
        fetcher.fetch(down, max_bytes=2**20)
    assert len(cdn.requests("GET", "/down.jpg")) == 2
    gone = cdn.route("/gone.jpg", (404, {}, b""))
    with pytest.raises(FetchError, match="404"):
        fetcher.fetch(gone, max_bytes=2**20)
    assert len(cdn.requests("GET", "/gone.jpg")) == 1  # a 404 is not retried


def test_a_stored_photo_is_deleted_at_twilio(twilio_app, fake_twilio):
    phone = Twilio(twilio_app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")
    url = fake_twilio.media(JPEG)
    phone.photo(url)
    *_, msg = messages(twilio_app, "in")
    assert msg.status == "processed"
    deletes = fake_twilio.requests("DELETE")
    assert [d.path for d in deletes] == [url.split(str(fake_twilio.port), 1)[1]]
    assert deletes[0].auth == (ACCOUNT, TOKEN)


def test_deleting_at_twilio_can_be_turned_off(make_app, fake_twilio, cdn):
    app = make_app("embedded", twilio_settings(fake_twilio, cdn, TWILIO_MEDIA_DELETE=0))
    phone = Twilio(app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")
    phone.photo(fake_twilio.media(JPEG))
    assert messages(app, "in")[-1].status == "processed"
    assert fake_twilio.requests("DELETE") == []


def test_a_webhook_pointing_media_at_redis_is_recorded_but_never_fetched(twilio_app, fake_twilio):
    phone = Twilio(twilio_app.test_client())
    phone.say("नमस्ते")
    phone.say("हाँ")  # after consent, so that the media would be fetched if it were allowed
    assert phone.photo("http://127.0.0.1:6379/").status_code == 200
    photo_msg = messages(twilio_app, "in")[-1]
    assert photo_msg.status == "processed"  # handled: counted as media that could not be fetched
