"""The simulator API never falls over: arbitrary JSON, text and media get a 200 or a clear 4xx, never a 500."""
from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support.fuzz import examples

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10)

bodies = st.fixed_dictionaries({}, optional={
    "from": st.one_of(st.just("+919812345678"), st.text(max_size=20), json_values),
    "text": st.one_of(st.text(max_size=300), json_values),
    "channel": st.one_of(st.sampled_from(["whatsapp", "sms", "telegram", ""]), json_values),
    "button": st.one_of(st.text(max_size=30), json_values),
    "media": st.one_of(json_values, st.lists(st.fixed_dictionaries({
        "content_type": st.sampled_from(["image/jpeg", "image/png", "audio/ogg", "text/plain", "x"]),
        "data_base64": st.one_of(st.binary(max_size=200).map(lambda b: base64.b64encode(b).decode()),
                                 st.text(max_size=40))}), max_size=3)),
})


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_any_body_gets_an_answer_not_a_crash(client, body):
    resp = client.post("/simulator/api/messages", json=body)
    assert resp.status_code in (200, 400), (resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.is_json
    if resp.status_code == 200:
        for reply in resp.get_json()["replies"]:
            assert isinstance(reply["text"], str) and reply["text"].strip()


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=400).filter(str.strip))
def test_any_unicode_text_gets_a_reply(client, text):
    resp = client.post("/simulator/api/messages", json={"from": "+919812345678", "text": text})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.get_json()["replies"], f"no reply to {text!r}"
