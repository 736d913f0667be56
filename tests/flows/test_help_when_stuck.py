"""Help is the answer to "help"; but an artisan who has already failed a question twice and now asks for help is
stuck, and a person is brought in as a third miss would bring one (whichever NLU read "आप बताओ" as help)."""
from __future__ import annotations

from tests.support.chat import Chat, said

TO_PRICE = ("नमस्ते", "हाँ", "सुनीता", "हिसार", "दरी बुनाई", 1, "बस", "दरी", "सूती", "हरा", "छोड़ो")


def flagged(chat: Chat) -> bool:
    return any(type(e).__name__ == "FlagHelpdesk" for e in chat.result.effects)


def test_help_at_a_fresh_question_helps():
    chat = Chat().say(*TO_PRICE).say("मदद")
    assert said(chat, "help_price") and not flagged(chat)


def test_help_after_one_miss_still_helps():
    chat = Chat().say(*TO_PRICE).say("पता नहीं ज्यादा है", "help")
    assert said(chat, "help_price") and not flagged(chat)


def test_help_after_two_misses_brings_a_person():
    chat = Chat().say(*TO_PRICE).say("पता नहीं ज्यादा है", "जो ठीक लगे", "मदद चाहिए")
    assert said(chat, "stuck") and said(chat, "ask_price") and flagged(chat)
    assert chat.step == "price", "the question stays, for when the artisan or staff answer it"
