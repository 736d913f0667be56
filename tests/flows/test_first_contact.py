"""A brand-new artisan says hello and gets the greeting and the consent question."""
from datetime import datetime, timezone

import flows
from flows.types import Inbound, RecordConsent

NOW = datetime(2025, 11, 26, 10, 0, tzinfo=timezone.utc)


def test_hello_gets_greeting_and_consent_in_hindi():
    result = flows.step(None, Inbound(NOW, "नमस्ते"), {"text": "नमस्ते", "intent": {"name": "greet"}, "entities": []})
    assert result.state.flow == "onboarding" and result.state.step == "consent"
    assert "नमस्ते" in result.replies[0].text and "मेरा डेटा हटाओ" in result.replies[0].text
    assert [b.id for b in result.replies[0].buttons] == ["intent:affirm", "intent:deny"]


def test_yes_records_consent_and_asks_name():
    first = flows.step(None, Inbound(NOW, "नमस्ते"), {"intent": {"name": "greet"}, "entities": []})
    second = flows.step(first.state, Inbound(NOW, "हाँ"), {"intent": {"name": "affirm"}, "entities": []})
    assert any(isinstance(e, RecordConsent) for e in second.effects)
    assert second.state.step == "name" and "नाम" in second.replies[0].text
