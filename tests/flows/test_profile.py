"""The artisan's profile, checked and corrected in the chat (issue 19): "mera naam Sunita hai" at any step, the name
question's check of a name that reads as a place ("hisar"), the profile read back at the end of onboarding, a first
answer that gives everything, and a first message that asks for a person."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.types import FlagHelpdesk, SaveProfile
from tests.support.chat import Chat, said

CASES = yaml.safe_load((Path(__file__).parent / "profile_statements.yml").read_text(encoding="utf-8"))
# The usual answers, in order: each step's case starts after the answers before it.
ROUTE = (("name", ("नमस्ते", "हाँ")), ("district", ("Sunita",)), ("craft", ("hisar",)), ("photos", ("jutti", 1)),
         ("product", ("bas",)), ("material", ("jutti",)), ("colour", ("chamda",)), ("price", ("kala", "छोड़ें")),
         ("quantity", ("1200",)), ("description", ("10",)), ("confirm", ("hath se bani hai",)), ("menu", ("haan",)))


def at(step: str) -> Chat:
    """An artisan (Sunita, Hisar, jutti) whose conversation is at `step`."""
    chat = Chat()
    for name, answers in ROUTE:
        chat.say(*answers)
        if name == step:
            assert chat.step == step, (step, chat.state)
            return chat
    raise AssertionError(f"no route to {step}")


def profile(chat: Chat) -> dict:
    """The profile as the conversation holds it: saved, or still being asked in onboarding."""
    return chat.state.get("profile") or chat.state["slots"]


def hindi(value) -> str:
    return value["hi"] if isinstance(value, dict) else value


@pytest.mark.parametrize("case", CASES["changes"], ids=lambda c: f"{c['at']}: {c['say']}")
def test_a_profile_statement_at_any_step_changes_it_and_asks_the_question_again(case):
    chat = at(case["at"])
    chat.say(case["say"])
    field = next(name for name in ("name", "district", "craft") if name in case)
    assert hindi(profile(chat)[field]) == case[field]
    lang = chat.state["language"]  # "my name is ..." is English: the bot answers in English from then on
    assert said(chat, f"profile_set_{field}", lang) and said(chat, case["asks"], lang), chat.text
    assert chat.step == (case["at"] if case["at"] != "menu" else "menu")
    saved = [e for e in chat.result.effects if isinstance(e, SaveProfile)]
    if chat.state["flow"] == "onboarding":
        assert not saved  # kept in the onboarding's answers, saved once with the rest
    else:
        assert [list(e.fields) for e in saved] == [[field]]


@pytest.mark.parametrize("case", CASES["answers"], ids=lambda c: f"{c['at']}: {c['say']}")
def test_an_answer_that_mentions_a_name_or_a_craft_is_no_profile_change(case):
    chat = at(case["at"])
    before = dict(profile(chat))
    chat.say(case["say"])
    assert not any(said(chat, f"profile_set_{field}") for field in ("name", "district", "craft")), chat.text
    if case["at"] not in ("name", "district", "craft"):  # onboarding's end saves the whole profile, as always
        assert not [e for e in chat.result.effects if isinstance(e, SaveProfile)]
    if case["slot"] not in ("none", "name", "district", "craft"):
        assert chat.slots.get(case["slot"]) not in (None, "", []), (case, chat.slots)
        assert {k: v for k, v in profile(chat).items() if k in before} == before
    elif case["slot"] != "none":
        assert profile(chat).get(case["slot"])
        if "value" in case:
            assert profile(chat)[case["slot"]] == case["value"]


def test_naam_galat_hai_alone_asks_for_the_right_name_then_goes_on():
    chat = at("colour")
    chat.say("नाम गलत लिखा है")
    assert said(chat, "ask_profile_name")
    chat.say("Sunita Devi")
    assert said(chat, "profile_set_name") and said(chat, "ask_colour")
    assert chat.state["profile"]["name"] == "Sunita Devi" and chat.step == "colour"


# --- the name question (M3, m10)


def test_a_district_given_as_the_name_is_asked_about_once_and_no_with_the_name_keeps_both():
    chat = Chat().say("hello", "haan", "hisar")
    assert "आपका नाम Hisar है? हाँ या नहीं" in chat.text and chat.step == "name"
    chat.say("नहीं, मेरा नाम सुनीता है")
    assert said(chat, "name_thanks") and "सुनीता" in chat.text
    assert chat.slots["name"] == "सुनीता" and chat.slots["district"]["en"] == "Hisar"
    assert chat.step == "craft", "Hisar was the district: not asked again"


def test_yes_keeps_the_name_that_looked_like_a_place():
    chat = Chat().say("hello", "haan", "Jind", "haan")
    assert chat.slots["name"] == "Jind" and chat.step == "district"


def test_a_bare_no_asks_the_name_again_and_the_next_answer_is_the_name():
    chat = Chat().say("hello", "haan", "jutti", "nahi")
    assert said(chat, "ask_name")
    chat.say("Sunita")
    assert chat.slots["name"] == "Sunita" and chat.slots["craft"]["en"] == "jutti" and chat.step == "district"


def test_a_district_stated_while_the_name_is_questioned_fills_the_district_and_the_name_is_asked():
    chat = Chat().say("hello", "haan", "jutti", "mera zila Hisar hai")
    assert said(chat, "profile_set_district") and said(chat, "ask_name") and chat.step == "name"
    assert chat.slots["district"]["en"] == "Hisar" and not chat.slots.get("name")


@pytest.mark.parametrize("name", ["Sunita Devi", "Gurpreet Kaur", "Girdhari Lal", "सतबीर कुम्हार", "Ramesh Kumar",
                                  "मेरा नाम गुरमीत कौर है", "mera naam ramesh kumar h"])
def test_an_ordinary_name_is_thanked_and_not_questioned(name):
    chat = Chat().say("hello", "haan", name)
    assert chat.step == "district" and said(chat, "name_thanks") and said(chat, "ask_district"), chat.text


def test_the_end_of_onboarding_reads_the_profile_back_without_a_question_of_its_own():
    chat = Chat().say("नमस्ते", "हाँ", "गुरप्रीत कौर", "अंबाला", "फुलकारी कढ़ाई")
    assert "नाम गुरप्रीत कौर, जिला अंबाला, काम फुलकारी" in chat.text
    assert said(chat, "ask_photos_drape") and chat.step == "photos"


def test_five_messages_still_reach_the_photos():
    chat = Chat().say("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई")
    assert chat.step == "photos"


# --- first messages (m1, m14)


@pytest.mark.parametrize("first", [("hello", "haan ji, main Sunita, hisar se, jutti banati hu"),
                                   ("haan ji, main Sunita, hisar se, jutti banati hu", "haan")])
def test_a_first_answer_that_gives_everything_is_taken_whole(first):
    chat = Chat().say(*first)
    assert chat.step == "photos", chat.state
    saved = chat.state["profile"]
    assert saved["name"] == "Sunita" and saved["district"]["en"] == "Hisar" and saved["craft"]["en"] == "jutti"
    assert "नाम Sunita, जिला हिसार, काम जूती" in chat.text


@pytest.mark.parametrize("first", ["इंसान से बात करनी है", "insaan se baat karni hai"])
def test_a_first_message_asking_for_a_person_gets_one_and_still_hears_the_consent(first):
    chat = Chat().say(first)
    assert FlagHelpdesk("asked_human", "onboarding.consent") in chat.result.effects
    assert said(chat, "welcome") and said(chat, "human") and said(chat, "consent_v1")
    assert chat.text.index("टीम का कोई साथी") < chat.text.index("क्या आप राज़ी हैं")
    assert chat.step == "consent" and not chat.state.get("opener")


def test_a_greeting_first_is_not_flagged():
    chat = Chat().say("नमस्ते")
    assert not [e for e in chat.result.effects if isinstance(e, FlagHelpdesk)]
