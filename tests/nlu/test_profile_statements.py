"""nlu reads the artisan speaking of themself as `profile` (the field) and `person_name` entities, and leaves the
intent as it was: other messages that name a name, a district or a craft get neither."""
import pytest

from nlu import parse

STATEMENTS = [
    ("mera naam Sunita hai", "name", "Sunita"),
    ("मेरा नाम सुनीता देवी है", "name", "सुनीता देवी"),
    ("naam galat hai, Sunita likho", "name", "Sunita"),
    ("नाम गलत है, गुरप्रीत कौर लिखें", "name", "गुरप्रीत कौर"),
    ("my name is Kamla Devi", "name", "Kamla Devi"),
    ("mera naam Sunita hai, Hisar nahi", "name", "Sunita"),
    ("mera zila Hisar hai", "district", None),
    ("जिला गलत है, मैं जींद से हूं", "district", None),
    ("main Rohtak se hu", "district", None),
    ("main phulkari banati hu", "craft", None),
    ("मैं दरी बुनती हूँ", "craft", None),
    ("mera kaam jutti hai", "craft", None),
]
NOT_STATEMENTS = ["is dari ka naam panja dari hai", "सामान का नाम खेस करो", "iska naam Rani rakho", "hisar",
                  "main 10 jutti banati hu", "hath se buni hai, main 2 din me ek dari banati hu aur phir dhoti hu",
                  "Hisar se laal dhaga aata hai", "mera naam Hisar hai", "नाम गलत लिखा है", "Sunita Devi"]


def _entities(text: str, kind: str) -> list:
    return [e for e in parse(text)["entities"] if e["entity"] == kind]


@pytest.mark.parametrize("text, field, name", STATEMENTS)
def test_a_statement_about_oneself_names_the_field_and_the_name(text, field, name):
    assert [e["value"] for e in _entities(text, "profile")] == [field]
    assert [e["value"] for e in _entities(text, "person_name")] == ([name] if name else [])


@pytest.mark.parametrize("text", NOT_STATEMENTS)
def test_other_messages_are_no_statement_about_oneself(text):
    assert not _entities(text, "profile") and not _entities(text, "person_name")


@pytest.mark.parametrize("text, intent", [("mera naam Kamla Devi hai", "inform"), ("naam galat likha h", "edit")])
def test_the_intent_is_left_as_it_was(text, intent):
    assert parse(text)["intent"]["name"] == intent
