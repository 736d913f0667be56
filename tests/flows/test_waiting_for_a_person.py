"""After "insaan se baat karni hai" the form holds still until a person comes (issue 19, M2)."""
from __future__ import annotations

from datetime import timedelta

import pytest

import flows
from bot.services import desk_hours
from flows.types import Inbound
from nlu import parse
from tests.support.chat import Chat, said

TO_DESCRIPTION = ["नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई", 2, "बस", "दरी", "सूती", "लाल", "6 बाई 4 फीट",
                  "500", "5"]


def asked_for_a_person() -> Chat:
    chat = Chat().say(*TO_DESCRIPTION, "insaan se baat karni hai")
    assert chat.result.effects[-1].reason == "asked_human" and chat.step == "description"
    return chat


@pytest.mark.parametrize("message", ["kab tak aayenge?", "कब तक आएंगे?", "हाँ, भेज दें", "ok"])
def test_what_is_written_while_a_person_is_awaited_is_no_answer(message):
    chat = asked_for_a_person().say(message)
    assert said(chat, "human_waiting") and "description" not in chat.slots and chat.step == "description"
    assert not chat.result.effects, "nothing is submitted or flagged again"


def test_the_summary_is_not_offered_while_a_person_is_awaited():
    chat = asked_for_a_person().say("kab tak aayenge?", "हाँ")
    assert chat.step == "description" and not said(chat, "ask_confirm")


def test_photos_sent_while_waiting_are_kept():
    chat = asked_for_a_person().say(2)
    assert chat.slots["photos"] == [1, 2, 3, 4] and said(chat, "human_waiting")


@pytest.mark.parametrize("carry_on", ["nahi, aage chalo", "बॉट से ही करें", "rehne do"])
def test_the_artisan_can_go_on_without_waiting(carry_on):
    chat = asked_for_a_person().say(carry_on)
    assert said(chat, "human_wait_ended") and said(chat, "ask_description")
    chat.say("haath se buni hai")
    assert chat.slots["description"] == "haath se buni hai" and chat.step == "confirm"


def test_after_half_an_hour_the_bot_answers_again():
    chat = asked_for_a_person()
    chat.now += timedelta(minutes=30)
    chat.say("haath se buni hai")
    assert chat.slots["description"] == "haath se buni hai" and chat.step == "confirm"
    assert "human_asked_at" not in chat.state


def test_a_hand_back_ends_the_wait():
    chat = asked_for_a_person()
    chat.current = flows.hand_back(chat.current, "description", chat.now).state
    chat.say("haath se buni hai")
    assert chat.slots["description"] == "haath se buni hai"


def test_stop_still_works_while_waiting():
    chat = asked_for_a_person().say("STOP")
    assert chat.state.get("opted_out") and said(chat, "stopped")


def test_the_desk_hours_are_told_when_configured():
    chat = asked_for_a_person()
    inbound = Inbound(chat.now, "kab tak?", read=parse, desk_hours=desk_hours("10-18"))
    replies = flows.step(chat.current, inbound, parse("kab tak?")).replies
    assert "10 से 6 बजे" in replies[0].text


@pytest.mark.parametrize("setting, hours", [("10-18", (10, 18)), (" 9 - 17 ", (9, 17)), (None, None),
                                            ("", None), ("10", None), ("10-25", None), ("ten-six", None)])
def test_desk_hours_setting(setting, hours):
    assert desk_hours(setting) == hours


def test_a_summary_shown_before_asking_is_not_submitted_while_waiting():
    chat = Chat().say(*TO_DESCRIPTION, "haath se buni hai")
    assert chat.step == "confirm"
    chat.say("insaan se baat karni hai", "हाँ, भेज दें")
    assert not chat.result.effects and said(chat, "human_waiting") and chat.step == "confirm"
    chat.say("आगे चलो", "हाँ")
    assert [type(effect).__name__ for effect in chat.result.effects] == ["SubmitListing"]
