"""The typed State and the stored layout; the NLU reaching the engine only through what it is handed."""
from __future__ import annotations

from datetime import datetime, timezone

import flows
from flows.types import Bilingual, Inbound, Retry
from nlu import parse

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)

# A conversation as the code before the typed State stored it: four columns and the rest in `context`.
STORED = {
    "flow": "listing", "step": "size", "language": "hi",
    "slots": {"photos": [3, 4], "product": {"hi": "दरी", "en": "durrie"}, "material": {"hi": "सूती", "en": "cotton"},
              "colour": [{"hi": "लाल", "en": "red"}, {"hi": "नीला", "en": "blue"}],
              "price": {"amount": 1200, "per": "piece"}},
    "context": {
        "skipped": ["description"], "misses": {"size": 1}, "focus": "size", "offered": [["intent:skip", "छोड़ें"]],
        "photos_done": True, "size_numbers": {"length": 6, "width": 4}, "last_at": NOW.isoformat(),
        "consent": "hunar-consent-v1", "quantity_unit": "pair",
        "profile": {"name": "सुनीता", "district": {"hi": "हिसार", "en": "Hisar"}, "craft": {"hi": "दरी", "en": None}},
    },
}


def test_a_stored_conversation_reads_into_typed_fields_and_writes_back_the_same():
    state = flows.State.from_record(**STORED)
    assert state.slots["product"] == Bilingual("दरी", "durrie") and state.slots["colour"][1].en == "blue"
    assert state.profile["district"] == Bilingual("हिसार", "Hisar") and state.last_at == NOW
    assert state.offered == [("intent:skip", "छोड़ें")] and state.size_numbers == {"length": 6, "width": 4}
    assert state.to_record() == STORED


def test_empty_fields_are_not_stored_and_read_back_as_their_defaults():
    record = flows.State(flow="onboarding", step="consent").to_record()
    assert record == {"flow": "onboarding", "step": "consent", "slots": {}, "language": "hi", "context": {}}
    state = flows.State.from_record(flow="menu", step="menu", slots={}, language="en",
                                    context={"skipped": [], "misses": {}, "quantity_unit": None, "unknown": 1})
    assert state == flows.State(flow="menu", step="menu", language="en")


def test_set_field_sets_the_value_and_takes_it_off_the_skipped():
    state = flows.State.from_record(**STORED)
    flows.set_field(state, "description", "हाथ से बुनी")
    assert state.slots["description"] == "हाथ से बुनी" and state.skipped == []


def test_a_profile_keeps_the_hindi_name_of_a_bilingual():
    assert flows.profile_text(Bilingual("करनाल", "Karnal")) == "करनाल" == str(Bilingual("करनाल", "Karnal"))
    assert flows.profile_text("Kamla") == "Kamla" and flows.profile_text(None) is None
    assert flows.profile_text(Bilingual("सरकंडे की कुर्सियाँ", None)) == "सरकंडे की कुर्सियाँ"


def test_the_unit_after_six_by_four_is_read_by_the_reader_the_message_carries():
    state = flows.State.from_record(**STORED)
    asked = []

    def read(text, expect=None):
        asked.append((text, expect))
        return parse(text, expect=expect)

    result = flows.step(state, Inbound(NOW, "feet", read=read), parse("feet"))
    assert asked == [("6x4 feet", "size")]
    assert result.state.slots["size"] == {"length": 6, "width": 4, "unit": "foot"} and result.missed is None
    without_a_reader = flows.step(state, Inbound(NOW, "feet"), parse("feet"))  # nothing understood: asked again
    assert "size" not in without_a_reader.state.slots and without_a_reader.missed == "size"


def test_validate_field_reads_with_the_reader_it_is_given():
    said = []

    def read(text, expect=None):
        said.append(text)
        return parse(text)

    assert flows.validate_field("district", "karnal", read) == Bilingual("करनाल", "Karnal") and said == ["karnal"]
    assert flows.validate_field("price", "1200", lambda text: {"entities": []}) == Retry("price")


def test_the_step_names_come_from_the_flows():
    assert flows.LISTING.fields() == ("product", "material", "colour", "size", "price", "quantity", "description")
    assert flows.ONBOARDING.fields() == ("name", "district", "craft")
    assert flows.ONBOARDING.names() + flows.LISTING.names() == (
        "consent", "name", "district", "craft", "photos", "product", "material", "colour", "size", "price",
        "quantity", "description", "confirm")
