"""Staff set a jutti's size in the draft editor as they would write it: "UK 7", "7, 8 number" (issue 19, M4)."""
from __future__ import annotations

from tests.support.desk import conversation_id
from tests.support.whatsapp import WhatsApp

TO_JUTTI = ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "जूती बनाना")


def test_staff_size_field_takes_shoe_sizes(app, agent):
    phone = WhatsApp(app.test_client())
    for text in TO_JUTTI:
        phone.say(text)
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "size", "value": "UK 7"})
    assert phone.state()["draft"]["size"] == {"kind": "shoe", "system": "UK", "values": [7]}
    assert "<td>UK 7</td>" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)  # as the artisan's summary says it
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "size", "value": "7, 8 number"})
    assert phone.state()["draft"]["size"] == {"kind": "shoe", "system": None, "values": [7, 8]}
    assert "<td>7, 8 (shoe size)</td>" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "size", "value": "bahut sundar"})
    assert "size: not accepted" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
