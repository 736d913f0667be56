"""bench/fake_twilio.py's child, through RecordingTwilio: creates with Twilio's auth, keep-alive, media, latency."""
from __future__ import annotations

import base64
import http.client
import json
import socket
import time
from urllib.parse import parse_qs, urlencode

import pytest
import urllib3

from bench.fake_twilio import RecordingTwilio, form_values
from fakes.twilio import ACCOUNT, TOKEN

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def fake():
    twilio = RecordingTwilio()
    yield twilio
    twilio.close()


def connect(fake) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", fake.port, timeout=10)


def create(conn, to: str, body: str = "hello", auth: bool = True):
    conn.request("POST", MESSAGES, body=urlencode({"To": to, "From": "whatsapp:+14155238886", "Body": body}),
                 headers={**FORM, **(AUTH if auth else {})})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


def test_a_create_with_credentials_is_accepted_and_recorded(fake):
    status, payload = create(connect(fake), "whatsapp:+911")
    assert status == 201
    assert payload["sid"].startswith("SM") and payload["status"] == "queued"
    assert (payload["to"], payload["from"], payload["body"]) == ("whatsapp:+911", "whatsapp:+14155238886", "hello")
    assert payload["account_sid"] == ACCOUNT
    fake.sync()
    assert fake.count("whatsapp:+911") == 1
    assert fake.by_to["whatsapp:+911"][0][1:] == (payload["sid"], "hello")


def test_a_create_without_credentials_is_refused_and_not_recorded(fake):
    status, payload = create(connect(fake), "whatsapp:+912", auth=False)
    assert status == 401 and payload["code"] == 20003
    fake.sync()
    assert fake.count("whatsapp:+912") == 0 and fake.creates == 0


def test_requests_share_a_kept_alive_connection(fake):
    conn = connect(fake)
    assert create(conn, "whatsapp:+913", "one")[0] == 201
    sock = conn.sock
    assert create(conn, "whatsapp:+913", "two")[0] == 201
    assert conn.sock is sock  # not reconnected
    fake.sync()
    assert [body for _, _, body in fake.by_to["whatsapp:+913"]] == ["one", "two"]


@pytest.mark.parametrize("latency", [0.0, 0.1])
def test_pipelined_and_split_requests_are_answered_in_order(latency):
    fake = RecordingTwilio(latency)
    try:
        pipelined(fake)
    finally:
        fake.close()


def pipelined(fake) -> None:
    conn = connect(fake)
    conn.connect()
    one = urlencode({"To": "whatsapp:+914", "Body": "same"}).encode()
    head = (f"POST {MESSAGES} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH['Authorization']}\r\n"
            f"Content-Length: {len(one)}\r\n\r\n").encode()
    conn.sock.sendall(head + one + head[:10])  # the second request split across writes
    time.sleep(0.05)
    conn.sock.sendall(head[10:] + one[:3])
    time.sleep(0.05)
    conn.sock.sendall(one[3:])
    got = b""
    while got.count(b'"api_version": "2010-04-01"}') < 2:  # both whole answers, read raw: http.client's
        chunk = conn.sock.recv(65536)                        # reader would buffer past the first
        assert chunk, got
        got += chunk
    answers = got.split(b"HTTP/1.1 ")[1:]
    assert len(answers) == 2 and all(a.startswith(b"201 ") and b'"whatsapp:+914"' in a for a in answers)
    fake.sync()
    sids = [sid for _, sid, _ in fake.by_to["whatsapp:+914"]]
    assert sids == [json.loads(a.split(b"\r\n\r\n", 1)[1])["sid"] for a in answers]  # answered in order


def test_connection_close_is_honoured(fake):
    with socket.create_connection(("127.0.0.1", fake.port), timeout=10) as sock:
        sock.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        got = b""
        while chunk := sock.recv(65536):  # until the server closes its side (a timeout otherwise)
            got += chunk
    assert got.startswith(b"HTTP/1.1 404 ") and b"\r\nConnection: close\r\n" in got


def test_urllib3_sends_many_creates_on_one_connection(fake):
    pool = urllib3.HTTPConnectionPool("127.0.0.1", fake.port, maxsize=1)
    headers = {**FORM, **urllib3.make_headers(basic_auth=f"{ACCOUNT}:{TOKEN}")}
    for n in range(20):
        resp = pool.request("POST", MESSAGES, body=urlencode({"To": "whatsapp:+916", "Body": f"reply {n}"}),
                            headers=headers)
        assert resp.status == 201
    assert pool.num_connections == 1
    fake.sync()
    assert [body for _, _, body in fake.by_to["whatsapp:+916"]] == [f"reply {n}" for n in range(20)]


HINDI = "\u0928\u092e\u0938\u094d\u0924\u0947! \U0001f64f\n\n1. \u0939\u093e\u0901"


@pytest.mark.parametrize("text", [HINDI, "", "100% sure + a&b=c", "caf\u00e9 %zz %4"])
def test_form_values_decode_as_parse_qs_does(text):
    body = urlencode({"To": "whatsapp:+91 1", "Body": text, "StatusCallback": "http://h/s?x=1"}).encode()
    expected = parse_qs(body.decode(), keep_blank_values=True)
    assert form_values(body, "To", "Body", "From") == [expected["To"][0], expected["Body"][0], None]
    assert form_values(b"Body=%zz%4+x%E0%A4", "Body") == parse_qs("Body=%zz%4+x%E0%A4")["Body"]


def test_a_hindi_reply_is_recorded_as_sent(fake):
    status, payload = create(connect(fake), "whatsapp:+917", HINDI)
    assert status == 201 and payload["body"] == HINDI
    fake.sync()
    assert fake.by_to["whatsapp:+917"][0][2] == HINDI


def test_media_is_served_with_credentials_only_and_deleted(fake):
    url = fake.media(b"\xff\xd8jpeg bytes", "image/jpeg")
    path = url.split(str(fake.port), 1)[1]
    assert path.startswith(f"/2010-04-01/Accounts/{ACCOUNT}/Messages/MM") and "/Media/ME" in path
    conn = connect(fake)
    conn.request("GET", path)
    resp = conn.getresponse()
    assert resp.status == 401 and json.loads(resp.read())["code"] == 20003
    conn.request("GET", path, headers=AUTH)
    resp = conn.getresponse()
    assert (resp.status, resp.getheader("Content-Type"), resp.read()) == (200, "image/jpeg", b"\xff\xd8jpeg bytes")
    conn.request("DELETE", path, headers=AUTH)
    resp = conn.getresponse()
    assert resp.status == 204 and resp.read() == b""


def test_an_unknown_path_is_404(fake):
    conn = connect(fake)
    conn.request("GET", f"/2010-04-01/Accounts/{ACCOUNT}/Messages/MMnone/Media/MEnone", headers=AUTH)
    resp = conn.getresponse()
    assert resp.status == 404 and json.loads(resp.read())["code"] == 20404


def test_latency_delays_the_answer():
    fake = RecordingTwilio(latency=0.2)
    try:
        start = time.monotonic()
        assert create(connect(fake), "whatsapp:+915")[0] == 201
        assert time.monotonic() - start >= 0.15
        fake.sync()
        assert fake.count("whatsapp:+915") == 1
    finally:
        fake.close()
