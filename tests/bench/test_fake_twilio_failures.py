"""bench/fake_twilio.py refusing a share of creates, as bench/faults.py's Twilio scenario has it: half 429 with
Retry-After, half 500, none recorded as sent."""
from __future__ import annotations

import http.client
from urllib.parse import urlencode

from bench.fake_twilio import RETRY_AFTER, RecordingTwilio
from tests.bench.test_fake_twilio import AUTH, FORM, MESSAGES


def post(twilio: RecordingTwilio, to: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", twilio.port, timeout=10)
    conn.request("POST", MESSAGES, body=urlencode({"To": to, "From": "whatsapp:+14155238886", "Body": "hi"}),
                 headers={**FORM, **AUTH})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def test_a_fake_failing_every_create_answers_429_with_retry_after_or_500_and_records_none():
    twilio = RecordingTwilio(failure=1.0)
    try:
        answers = [post(twilio, f"whatsapp:+9190000000{n:02d}") for n in range(40)]
        twilio.sync()
        statuses = {resp.status for resp in answers}
        assert statuses == {429, 500}  # 40 coin tosses: both kinds come
        assert all(resp.getheader("Retry-After") == str(RETRY_AFTER) for resp in answers if resp.status == 429)
        assert all(resp.getheader("Retry-After") is None for resp in answers if resp.status == 500)
        assert twilio.creates == 0 and len(twilio.refused) == 40
        assert sorted({status for _, status in twilio.refused}) == [429, 500]
    finally:
        twilio.close()


def test_a_fake_failing_a_fifth_still_accepts_most_creates():
    twilio = RecordingTwilio(failure=0.2)
    try:
        answers = [post(twilio, "whatsapp:+919000000100") for _ in range(100)]
        twilio.sync()
        accepted = sum(1 for resp in answers if resp.status == 201)
        assert twilio.creates == accepted and len(twilio.refused) == 100 - accepted
        assert 60 <= accepted <= 95  # 20 % refused, give or take chance
    finally:
        twilio.close()
