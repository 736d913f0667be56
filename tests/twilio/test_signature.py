"""X-Twilio-Signature: upstream vectors, our public URL behind a proxy, SHA-256 rules, and a 403 that says nothing."""
from __future__ import annotations

import logging

import pytest
from werkzeug.datastructures import MultiDict

from bot.web.webhook import HMAC_SHA256, is_valid, public_url, sign
from fakes.twilio import TOKEN
from tests.support.twilio import PUBLIC, Twilio, messages

# twilio-python tests/unit/test_request_validator.py (token 12345)
UPSTREAM_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
UPSTREAM_PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
                   "From": "+14158675309", "To": "+18005551212"}
JSON_BODY = '{"property": "value", "boolean": true}'
JSON_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"


def test_upstream_form_vector():
    assert sign(UPSTREAM_URL, UPSTREAM_PARAMS, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", auth_token="12345")
    assert not is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", auth_token="54321")


def test_the_common_case_computes_one_hmac(monkeypatch):
    from twilio.request_validator import RequestValidator

    computed = []
    original = RequestValidator.compute_signature
    monkeypatch.setattr(RequestValidator, "compute_signature",
                        lambda self, *args: computed.append(args[0]) or original(self, *args))
    assert is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", auth_token="12345")
    assert computed == [UPSTREAM_URL], "signed without the port: matched at the first try"
    assert not is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", auth_token="54321")
    assert computed[1:] == [UPSTREAM_URL, "https://mycompany.com:443/myapp.php?foo=1&bar=2"], "a miss tries both"


def test_upstream_json_body_vector():
    url = f"{UPSTREAM_URL}&bodySHA256={JSON_HASH}"
    assert sign(url, {}, "12345") == "a9nBmqA0ju/hNViExpshrM61xv4="
    assert is_valid(url, {}, "a9nBmqA0ju/hNViExpshrM61xv4=", auth_token="12345", raw_body=JSON_BODY)
    assert not is_valid(url, {}, "a9nBmqA0ju/hNViExpshrM61xv4=", auth_token="12345", raw_body=JSON_BODY + " ")


def test_a_string_body_without_a_hash_in_the_url_is_invalid_not_an_error():
    assert not is_valid(UPSTREAM_URL, JSON_BODY, "a9nBmqA0ju/hNViExpshrM61xv4=", auth_token="12345",
                        raw_body=JSON_BODY)


@pytest.mark.parametrize("signed_url, prefix, checked_url", [
    ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yN", "http://mycompany.com:1234/myapp.php?foo=1&bar=2"),
    ("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Pt", UPSTREAM_URL),
    ("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/", "http://mycompany.com/myapp.php?foo=1&bar=2"),
    (UPSTREAM_URL, "RSOYDt4T", "https://mycompany.com:443/myapp.php?foo=1&bar=2"),
])
def test_port_variants_match_upstream_and_validate_either_way(signed_url, prefix, checked_url):
    signature = sign(signed_url, UPSTREAM_PARAMS, "12345")
    assert signature.startswith(prefix)
    assert is_valid(checked_url, UPSTREAM_PARAMS, signature, auth_token="12345")


def test_an_explicit_non_default_port_must_match():
    signature = sign("https://mycompany.com:1234/myapp.php?foo=1&bar=2", UPSTREAM_PARAMS, "12345")
    assert not is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, signature, auth_token="12345")


def test_repeated_names_are_sorted_and_deduplicated():
    a = MultiDict([*UPSTREAM_PARAMS.items(), ("MediaUrl", "b"), ("MediaUrl", "a")])
    b = MultiDict([*UPSTREAM_PARAMS.items(), ("MediaUrl", "a"), ("MediaUrl", "b"), ("MediaUrl", "a")])
    assert sign(UPSTREAM_URL, a, "12345") == sign(UPSTREAM_URL, b, "12345")
    assert is_valid(UPSTREAM_URL, b, sign(UPSTREAM_URL, a, "12345"), auth_token="12345")
    c = MultiDict([*UPSTREAM_PARAMS.items(), ("MediaUrl", "a")])
    assert not is_valid(UPSTREAM_URL, c, sign(UPSTREAM_URL, a, "12345"), auth_token="12345")


def test_sha256_is_used_only_when_the_settings_header_asks_for_it():
    signature = sign(UPSTREAM_URL, UPSTREAM_PARAMS, "shared-secret", HMAC_SHA256)
    header = "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"
    assert is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, signature, auth_token="12345", shared_key="shared-secret",
                    settings_header=header)
    assert not is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, signature, auth_token="12345", shared_key="shared-secret")
    sha1 = sign(UPSTREAM_URL, UPSTREAM_PARAMS, "shared-secret")
    assert not is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, sha1, auth_token="12345", shared_key="shared-secret",
                        settings_header=header)
    assert not is_valid(UPSTREAM_URL, UPSTREAM_PARAMS, signature, auth_token="12345", shared_key="shared-secret",
                        settings_header="key=k,algorithm=HMAC_MD5")


def test_public_url_keeps_the_raw_query():
    assert public_url("https://hunar.example/", "/webhooks/twilio", b"a=1&b=%E0%A4%95") == \
        "https://hunar.example/webhooks/twilio?a=1&b=%E0%A4%95"
    assert public_url("https://hunar.example", "/webhooks/twilio") == "https://hunar.example/webhooks/twilio"


# --- through the webhook --------------------------------------------------------------------------


def test_a_signed_devanagari_message_is_taken(twilio_app, twilio):
    resp = twilio.say("लाल सूती दरी है, दाम ५०० रुपये")
    assert resp.status_code == 200
    assert resp.mimetype == "text/xml" and b"<Response" in resp.data
    assert messages(twilio_app, "in")[0].body == "लाल सूती दरी है, दाम ५०० रुपये"


def test_a_tampered_form_gets_403_with_no_body_and_is_not_stored(twilio_app, twilio, caplog):
    form = twilio.form(body="नमस्ते")
    signature = sign(PUBLIC + "/webhooks/twilio", form, twilio.token)
    form["Body"] = "नमस्ते!"
    with caplog.at_level(logging.WARNING, logger="hunar.webhook"):
        resp = twilio.post(form, signature=signature)
    assert resp.status_code == 403 and resp.data == b""
    assert messages(twilio_app) == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "bad signature" in logged and "नमस्ते" not in logged and "919812345678" not in logged


@pytest.mark.parametrize("base", ["http://hunar.example", "https://hunar.example:8443", "https://other.example",
                                  "https://hunar.example/prefix"])
def test_a_signature_for_another_url_is_refused(twilio_app, base):
    resp = Twilio(twilio_app.test_client(), base=base).say("नमस्ते")
    assert resp.status_code == 403 and resp.data == b""


def test_missing_signature_and_wrong_token_are_refused(twilio_app):
    client = twilio_app.test_client()
    assert client.post("/webhooks/twilio", data=Twilio.form(body="hi")).status_code == 403
    assert Twilio(client, token="not-the-token").say("hi").status_code == 403
    assert Twilio(client, token="not-the-token").status("SM" + "0" * 32, "delivered").status_code == 403


def test_the_query_string_is_part_of_what_is_signed(twilio_app):
    client = twilio_app.test_client()
    form = Twilio.form(body="नमस्ते")
    signed = sign(PUBLIC + "/webhooks/twilio?channel=wa&x=%E0%A4%95", form, TOKEN)
    ok = client.post("/webhooks/twilio?channel=wa&x=%E0%A4%95", data=form, headers={"X-Twilio-Signature": signed})
    assert ok.status_code == 200
    bad = client.post("/webhooks/twilio?channel=sms&x=%E0%A4%95", data=Twilio.form(body="x"),
                      headers={"X-Twilio-Signature": signed})
    assert bad.status_code == 403


def test_behind_a_proxy_the_public_base_is_what_counts(twilio_app):
    """The request reaches us as http://10.0.0.5:8000 through a proxy; Twilio signed https://hunar.example."""
    client = twilio_app.test_client()
    form = Twilio.form(body="नमस्ते")
    resp = client.post("/webhooks/twilio", data=form, base_url="http://10.0.0.5:8000",
                       headers={"X-Twilio-Signature": sign(PUBLIC + "/webhooks/twilio", form, TOKEN)})
    assert resp.status_code == 200


def test_sha256_rule_through_the_webhook(make_app, fake_twilio, cdn):
    from tests.support.twilio import twilio_settings

    app = make_app("embedded", twilio_settings(fake_twilio, cdn, TWILIO_WEBHOOK_SHARED_KEY="rule-secret"))
    client = app.test_client()
    form = Twilio.form(body="नमस्ते")
    signature = sign(PUBLIC + "/webhooks/twilio", form, "rule-secret", HMAC_SHA256)
    header = {"X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_x,algorithm=HMAC_SHA256"}
    assert client.post("/webhooks/twilio", data=form, headers={"X-Twilio-Signature": signature, **header}) \
        .status_code == 200
    assert client.post("/webhooks/twilio", data=form, headers={"X-Twilio-Signature": signature}).status_code == 403
