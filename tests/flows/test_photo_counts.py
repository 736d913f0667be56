"""Photo counts agree in number, and a rejected photo gets one reason and one ask (newcomer report m5, m7)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fakes.transcripts import Conversation
from flows import photos, prompts

CASES = yaml.safe_load(Path(__file__).with_name("photo_counts.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['key']}-{c['count']}")
@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_count_agrees(case, lang):
    assert prompts.say(photos.counted(case["key"], case["count"]), lang, count=case["count"]) == case[lang]


def _at_photos() -> Conversation:
    chat = Conversation({})
    for text in ("नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई"):
        chat.send(text)
    return chat


def _said(chat: Conversation) -> str:
    return "\n".join(reply.text for reply in chat.replies)


def test_a_bad_photo_gets_its_reason_and_one_short_ask():
    chat = _at_photos()
    chat.send(photos=chat.photos([{"verdict": "retake", "reason": "dark"}]))
    said = _said(chat)
    assert said.startswith(prompts.say("photo_dark", "hi"))
    assert said.endswith(prompts.say("ask_photos_again", "hi")) and said.count("फोटो भेजें") == 1
    assert prompts.say("ask_photos", "hi") not in said


def test_a_caption_with_photos_is_not_a_miss():
    chat = _at_photos()
    chat.send("ye dekho", photos=chat.photos(["ok"]))
    said = _said(chat)
    assert "1 फोटो मिली" in said and prompts.say("retry_photos", "hi") not in said
    assert said.endswith(prompts.say("ask_more_photos", "hi"))
