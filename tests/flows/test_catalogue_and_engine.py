"""The prompt catalogue's rules, parser tables in three scripts, and random conversations that never dead-end."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

import flows
from flows import prompts
from flows.types import Inbound, Photo, Retry
from nlu import parse
from tests.support.fuzz import examples

NOW = datetime(2025, 11, 26, 10, 0, tzinfo=timezone.utc)
SAMPLE = {"name": "सुनीता देवी", "count": 8, "total": 8, "max": 8, "upload_url": "https://hunar.test/u/k3J9x",
          "low": 10, "number": 2, "product": "लाल पंजा दरी", "amount": 12000, "items": "दरी",
          "field": "कीमत", "value": "₹1500", "status": "जाँच में", "lines": "1. दरी", "options": "1. दरी",
          "summary": "दरी", "length": 6, "width": 4, "unit": "फुट", "per": "एक पीस",
          "spoken": "₹12,000 (बारह हज़ार रुपये)", "start": 10, "end": 6, "sizes": "UK 7, 8",
          "material": "खादी", "thread": "रेशमी", "district": "महेंद्रगढ़", "craft": "फुलकारी कढ़ाई",
          "link": "https://hunar.test/listings/12"}


def test_hindi_and_english_have_the_same_keys_and_variables():
    hi, en = prompts.catalogue("hi"), prompts.catalogue("en")
    assert set(hi) == set(en)
    for key in hi:
        assert prompts.variables(key, "hi") == prompts.variables(key, "en"), key


def test_missing_key_or_variable_is_loud():
    with pytest.raises(prompts.MissingPrompt):
        prompts.say("no_such_prompt", "hi")
    with pytest.raises(prompts.MissingPrompt):
        prompts.say("onboarding_done", "hi")


@pytest.mark.parametrize("key", sorted(k for k in prompts.catalogue("hi") if not k.endswith("_sms")))
def test_every_sms_form_fits_two_ucs2_parts(key):
    form = f"{key}_sms" if prompts.has(f"{key}_sms") else key
    if key in ("ask_change", "my_listings", "choices_district", "ask_confirm"):
        return  # whole lists: only their SMS transcripts can check them
    assert len(prompts.say(form, "hi", **SAMPLE)) <= 134, key


def test_hindi_texts_keep_english_words_out():
    allowed = {"STOP", "GIF"}  # GIF comes from marketplace/photos/coaching.yml
    for key, text in prompts.catalogue("hi").items():
        words = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"https?://\S+|\{\w+\}", "", text))) - allowed
        assert not words, (key, words)


def test_every_question_has_an_example():
    for key, text in prompts.catalogue("hi").items():
        if key.startswith(("ask_", "retry_")) and key not in ("ask_more_photos", "ask_photos_nolink",
                                                              "ask_photos_link", "ask_change", "ask_confirm_sms"):
            assert "जैसे" in text or "लिखें:" in text, key


@pytest.mark.parametrize("field,text,expected", [
    ("price", "1200", {"amount": 1200, "per": "piece"}),
    ("price", "बारह सौ रुपये", {"amount": 1200, "per": "piece"}),
    ("price", "barah sau rupay", {"amount": 1200, "per": "piece"}),
    ("price", "Rs 900", {"amount": 900, "per": "piece"}),
    ("price", "200 रुपये मीटर", {"amount": 200, "per": "metre"}),
    ("quantity", "5", 5),
    ("quantity", "paanch", 5),
    ("quantity", "5 पीस", 5),
    ("size", "6 बाई 4 फीट", {"length": 6, "width": 4, "unit": "foot"}),
    ("size", "6x4 feet", {"length": 6, "width": 4, "unit": "foot"}),
    ("colour", "लाल और नीला", [{"hi": "लाल", "en": "red"}, {"hi": "नीला", "en": "blue"}]),
    ("colour", "neela", [{"hi": "नीला", "en": "blue"}]),
    ("material", "कपास", {"hi": "सूती", "en": "cotton"}),
    ("district", "gurgaon", {"hi": "गुरुग्राम", "en": "Gurugram"}),
    ("district", "9", {"hi": "जींद", "en": "Jind"}),
    ("name", "मेरा नाम सुनीता है", "सुनीता"),
    ("name", "mera naam kamla hai", "Kamla"),
])
def test_validate_field_reads_hindi_roman_and_english(field, text, expected):
    assert flows.stored(flows.validate_field(field, text, parse)) == expected


@pytest.mark.parametrize("field,text,reason", [
    ("price", "पता नहीं", "price"), ("price", "5", "price_low"), ("quantity", "बहुत सारे", "quantity"),
    ("size", "बड़ा", "size"), ("name", "9812345678", "name"), ("photos", "x", "not_editable"),
])
def test_bad_answers_are_retry_values(field, text, reason):
    assert flows.validate_field(field, text, parse) == Retry(reason, flows.validate_field(field, text, parse).vars)


def test_hand_back_asks_the_chosen_step():
    state = flows.State.from_dict({"flow": "listing", "step": "confirm", "language": "hi", "photos_done": True,
                                   "slots": {"photos": [1], "price": {"amount": 5, "per": "piece"}}})
    result = flows.hand_back(state, "price", NOW)
    assert result.state.step == "price" and prompts.say("ask_price") in result.replies[0].text


def test_nudge_only_for_a_half_done_listing():
    record = {"flow": "listing", "step": "product", "slots": {"photos": [1]}, "language": "hi",
              "last_at": NOW.isoformat()}
    state = flows.State.from_dict(record)
    assert flows.nudge(state, NOW + timedelta(hours=1)) is None
    nudged = flows.nudge(state, NOW + timedelta(hours=21))
    assert nudged and "अधूरा" in nudged.replies[0].text
    assert flows.nudge(nudged.state, NOW + timedelta(hours=30)) is None
    assert flows.nudge(flows.State.from_dict({**record, "flow": "menu"}), NOW + timedelta(days=2)) is None


MESSAGES = ["नमस्ते", "हाँ", "नहीं", "सुनीता", "हिसार", "दरी", "सूती", "लाल", "6 बाई 4 फीट", "1200", "5", "बस",
            "छोड़ो", "मदद", "वापस", "रद्द", "फिर से शुरू", "बदलो", "मेरी लिस्टिंग", "नया सामान", "asdf", "?", "1",
            "3", "STOP", "English", "कीमत 900 करो", "2 बिक गया", "किसी से बात कराओ", "मेरा डेटा हटाओ",
            "छोड़ें", "बदलें", "कीमत 500", "Hindi me", "2 दर्जन", "नहीं, कीमत 1500 है", "laal sooti", "asdf qwer"]
EVENT = st.one_of(st.sampled_from(MESSAGES), st.integers(1, 3), st.just("+3d"))


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(EVENT, min_size=1, max_size=25), st.sampled_from(["whatsapp", "sms"]))
def test_random_conversations_never_dead_end(events, channel):
    state, now, photo_id = None, NOW, 1
    for event in events:
        photos = ()
        text = event if isinstance(event, str) else ""
        if event == "+3d":
            now += timedelta(days=3)
            text = "नमस्ते"
        if isinstance(event, int):
            photos = tuple(Photo(photo_id + i, "ok") for i in range(event))
            photo_id += event
        result = flows.step(state, Inbound(now, text, channel=channel, photos=photos, upload_url="https://h.test/u/1",
                                           read=parse), parse(text))
        state = result.state
        assert state.flow in ("onboarding", "listing", "menu") and state.step
        assert result.replies or state.opted_out, (events, text)
        for reply in result.replies:
            if channel == "sms":
                assert len(reply.text) <= 134 and not reply.buttons, reply.text
        now += timedelta(minutes=1)
    # a way forward always exists: help answers, and a person can always be asked for
    helped = flows.step(state, Inbound(now, "मदद", channel=channel), parse("मदद"))
    assert helped.replies
    human = flows.step(state, Inbound(now, "किसी से बात कराओ", channel=channel), parse("किसी से बात कराओ"))
    assert any(type(e).__name__ == "FlagHelpdesk" for e in human.effects)
