"""The shipped nginx config (deploy/nginx/) in front of gunicorn: what it lets through and what it stops (F3, F5)."""
from __future__ import annotations

import itertools
import random
import string
import time
import uuid

import requests

from bot.web.webhook import sign
from fakes.twilio import ACCOUNT, TOKEN
from tests.support.proxy import (CLIENT_TIMEOUT, CONN_PER_IP, PUBLIC_CONCURRENCY, SlowLoris, get, needs_nginx,
                                  post_form, request, status_of)
from tests.support.waiting import wait_until

pytestmark = needs_nginx

HOOK = "/webhooks/twilio"


def twilio_form(n: int = 1) -> dict:
    address = f"whatsapp:+9198{uuid.uuid4().int % 10**8:08d}"
    sid = "SM" + uuid.uuid4().hex
    return {"MessageSid": sid, "SmsMessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT, "From": address,
            "To": "whatsapp:+14155238886", "Body": "नमस्ते", "NumMedia": "0", "NumSegments": "1",
            "ProfileName": f"Artisan {n}", "WaId": address.split("+")[1], "SmsStatus": "received",
            "ApiVersion": "2010-04-01"}


def signed_webhook(proxied, *, source: str = "127.0.0.1") -> tuple[int, bytes, float]:
    """Post a webhook signed as Twilio signs it (for the public URL, i.e. nginx's); (status, answer, seconds)."""
    form = twilio_form()
    signature = sign(f"{proxied.nginx.url}{HOOK}", form, TOKEN)
    start = time.perf_counter()
    answer = post_form(proxied.port, HOOK, form, {"X-Twilio-Signature": signature}, source=source)
    return status_of(answer), answer, time.perf_counter() - start


def seen_by_app(proxied, needle: str) -> int:
    """How many of gunicorn's access log lines hold `needle`, once every earlier request is surely logged: a
    later request that does reach gunicorn is waited for in the log first (the log has no query strings)."""
    probe = "/probe-" + "".join(random.choices(string.ascii_lowercase, k=16))
    assert status_of(get(proxied.port, probe, source="127.0.0.250")) == 404
    log = wait_until(lambda: (text := proxied.app.log()) and probe in text and text, 30, "the probe in the log")
    return log.count(needle)


def test_pages_webhook_and_static_work_through_the_proxy(proxied):
    assert status_of(get(proxied.port, "/catalogue")) == 200
    status, answer, _ = signed_webhook(proxied)
    assert status == 200 and b"<Response" in answer
    static = get(proxied.port, "/static/fonts.css")
    assert status_of(static) == 200
    assert b"Cache-Control: max-age=604800" in static  # nginx's `expires 7d`
    assert seen_by_app(proxied, "/static/") == 0  # served from disk by nginx


def test_unsigned_webhook_is_refused_at_the_proxy(proxied):
    before = seen_by_app(proxied, f'"POST {HOOK}"')
    answer = post_form(proxied.port, HOOK, twilio_form(), {})
    assert status_of(answer) == 403
    assert seen_by_app(proxied, f'"POST {HOOK}"') == before


def test_f3_big_unsigned_body_refused_at_the_proxy(proxied):
    """4 MB to the webhook: 413 from nginx on the headers alone, with or without a (bogus) signature header."""
    before = seen_by_app(proxied, f'"POST {HOOK}"')
    for signature in ("", "X-Twilio-Signature: bogus\r\n"):
        head = (f"POST {HOOK} HTTP/1.1\r\nHost: 127.0.0.1\r\n{signature}"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {4 * 1024 * 1024}\r\n\r\n")
        answer = request(proxied.port, head.encode())  # the answer comes before any of the body is read
        assert status_of(answer) == 413, answer[:200]
    assert seen_by_app(proxied, f'"POST {HOOK}"') == before


def test_body_caps_follow_the_route(proxied):
    """Forms get 256k; the upload page 41m (8 photos of 5 MB), a staff reply 6m (one photo); the simulator 256k
    unless rendered with --simulator."""
    one_mb = 1024 * 1024
    for path in ("/helpdesk/login", "/simulator/api/messages"):
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {one_mb}\r\n\r\n"
        assert status_of(request(proxied.port, head.encode())) == 413, path
    # The upload page and a staff reply take theirs whole and hand them on: the app answers (for an unknown link,
    # for nobody signed in). It answers before reading them, and gunicorn, keeping no connection alive, may close
    # while nginx still writes: then nginx says 502. What counts here is that nginx let them through.
    before = seen_by_app(proxied, '"POST /u/no-such-link"'), seen_by_app(proxied, '"POST /helpdesk/c/1/reply"')
    for path, size in (("/u/no-such-link", 8 * one_mb), ("/helpdesk/c/1/reply", 2 * one_mb)):
        resp = requests.post(f"{proxied.nginx.url}{path}", files={"photos": ("a.jpg", b"x" * size)}, timeout=30,
                             allow_redirects=False)
        assert resp.status_code not in (413, 429), (path, resp.status_code)
    after = seen_by_app(proxied, '"POST /u/no-such-link"'), seen_by_app(proxied, '"POST /helpdesk/c/1/reply"')
    assert after == (before[0] + 1, before[1] + 1)


def test_f5_slowloris_does_not_delay_the_webhook(proxied):
    """24 connections trickling headers (gunicorn has 2 threads here): a signed webhook is answered at once, and
    nginx hangs up on each trickler after client_header_timeout."""
    lorises = [SlowLoris(proxied.port, every=0.5, source=f"127.0.1.{n}") for n in range(1, 25)]
    for loris in lorises:
        loris.start()
    try:
        wait_until(lambda: all(loris.sent >= 2 for loris in lorises), 30, "every slow client to be trickling")
        latencies = []
        for _ in range(3):
            status, answer, seconds = signed_webhook(proxied)
            assert status == 200 and b"<Response" in answer
            latencies.append(seconds)
        # Blocked, it would wait for a trickler's whole 100 kB header (~14 hours); 5 s leaves CI plenty of room.
        assert max(latencies) < 5, latencies
        assert all(loris.closed_at is None for loris in lorises)  # answered while every trickler was connected
        wait_until(lambda: all(loris.closed_at for loris in lorises), CLIENT_TIMEOUT + 30,
                   "nginx to hang up on every slow client")
        held = [loris.held_for for loris in lorises]
        assert min(held) >= CLIENT_TIMEOUT - 0.5, held  # cut off by the timeout, not refused at once
    finally:
        for loris in lorises:
            loris.stop()


def test_connections_per_address_are_limited_but_not_for_twilio(proxied):
    """Slow bodies count against their address's limit once their headers are in; others, and the webhook, pass."""
    attacker = "127.0.2.1"
    head = b"POST /helpdesk/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n\r\n"
    slow = [SlowLoris(proxied.port, head=head, tail=b"a" * 10000, every=0.5, source=attacker)
            for _ in range(CONN_PER_IP)]
    for s in slow:
        s.start()
    try:
        wait_until(lambda: all(s.sent >= 2 or s.closed_at for s in slow), 60, "every slow body to be trickling")
        assert not any(s.closed_at for s in slow), [s.held_for for s in slow]  # nginx kept every one open
        wait_until(lambda: status_of(get(proxied.port, "/healthz", source=attacker)) == 429, 60,
                   "the attacker's next request to be refused")
        assert status_of(get(proxied.port, "/healthz", source="127.0.2.2")) == 200
        status, _, _ = signed_webhook(proxied, source=attacker)
        assert status == 200
    finally:
        for s in slow:
            s.stop()
    wait_until(lambda: status_of(get(proxied.port, "/healthz", source=attacker)) == 200, 60,
               "the address to be let in again once its connections closed")


def test_anonymous_pages_are_paced_per_address_but_the_webhook_is_not(proxied):
    crawler, page = "127.0.3.1", "/api/listings/999999"  # a cheap page: 404 from the app
    statuses = [status_of(get(proxied.port, page, source=crawler)) for _ in range(80)]
    assert 429 in statuses and statuses[0] == 404
    assert status_of(get(proxied.port, page, source="127.0.3.2")) == 404
    assert status_of(get(proxied.port, "/healthz", source=crawler)) == 200  # health checks are not paced
    assert all(signed_webhook(proxied, source=crawler)[0] == 200 for _ in range(5))


def test_anonymous_pages_in_gunicorn_at_once_are_capped_for_all_addresses_together(proxied):
    """Storefront requests from many addresses take at most PUBLIC_CONCURRENCY slots; the webhook, health checks
    and the helpdesk never wait for one (F4)."""
    head = b"POST /catalogue HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n\r\n"
    held = [SlowLoris(proxied.port, head=head, tail=b"a" * 10000, every=0.5, source=f"127.0.6.{n + 1}")
            for n in range(PUBLIC_CONCURRENCY)]
    for s in held:
        s.start()
    # Every probe comes from an address of its own: pages are also paced per address, and a probe's own pace must
    # not be what refuses it (however many rounds a busy machine takes).
    addresses = (f"127.0.{7 + n // 250}.{n % 250 + 1}" for n in itertools.count())
    try:
        wait_until(lambda: all(s.sent >= 2 or s.closed_at for s in held), 60, "every slow body to be trickling")
        assert not any(s.closed_at for s in held), [s.held_for for s in held]  # nginx kept every one open
        wait_until(lambda: status_of(get(proxied.port, "/catalogue", source=next(addresses))) == 429, 60,
                   "a page from yet another address to be refused")
        assert signed_webhook(proxied, source=next(addresses))[0] == 200
        assert status_of(get(proxied.port, "/healthz", source=next(addresses))) == 200
        assert status_of(get(proxied.port, "/helpdesk/login", source=next(addresses))) == 200
    finally:
        for s in held:
            s.stop()
    wait_until(lambda: status_of(get(proxied.port, "/catalogue", source=next(addresses))) == 200, 60,
               "pages to be served again once the slots are free")


def test_the_app_sees_the_client_address_nginx_saw_not_a_forged_one(proxied):
    marker = "/probe-" + "".join(random.choices(string.ascii_lowercase, k=16))
    get(proxied.port, marker, source="127.0.4.1", headers="X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Ssl: on\r\n")
    wait_until(lambda: marker in proxied.app.log(), 30, "the request in the access log")
    line = next(line for line in proxied.app.log().splitlines() if marker in line)
    assert "127.0.4.1" in line and "203.0.113.9" not in line
    assert " 404 " in line  # not 400: gunicorn did not see a forged X-Forwarded-Ssl beside nginx's Proto
