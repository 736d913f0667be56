"""F10: the simulator is for staff outside development, and never acts as a number with a real conversation."""
from __future__ import annotations

from sqlalchemy import func, select

from db.models import Artisan, Message
from tests.support.desk import Desk, make_staff
from tests.support.twilio import Twilio
from tests.support.whatsapp import WhatsApp

NUMBER = "+919812345678"
STRONG = "8f3a1c9e2b7d4f6a0c5e9b2d7f1a3c8e"


def test_f10_the_simulator_cannot_read_or_act_as_a_real_whatsapp_artisan(twilio_app, twilio: Twilio):
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        twilio.say(text, sender=f"whatsapp:{NUMBER}")
    client = twilio_app.test_client()
    assert client.get(f"/simulator/api/conversations/{NUMBER}").status_code == 404  # no simulated one yet
    impostor = WhatsApp(client, number=NUMBER)
    impostor.say("मेरा डेटा हटाओ")
    impostor.say("हाँ")
    panel = impostor.state()
    assert panel["artisan"]["name"] is None and all(m["text"] != "दरी बुनाई" for m in panel["messages"])
    with twilio_app.extensions["hunar"].db.session() as s:
        real = s.scalar(select(Artisan).where(Artisan.address == f"whatsapp:{NUMBER}"))
        assert real.name == "सुनीता देवी" and real.deleted_at is None, "the real artisan is untouched"
        assert s.scalar(select(func.count(Message.id)).where(Message.body == "दरी बुनाई")) == 1
        assert s.scalar(select(func.count(Artisan.id))) == 2


def test_f10_outside_development_the_simulator_needs_a_staff_login(make_app):
    app = make_app(config={"ENV": "production", "SECRET_KEY": STRONG, "SIMULATOR": True, "DESK_WHATSAPP": "+919812345678"})
    anonymous = app.test_client()
    page = anonymous.get("/simulator/")
    assert page.status_code == 302 and "/helpdesk/login" in page.headers["Location"]
    assert anonymous.post("/simulator/api/messages", json={"from": NUMBER, "text": "नमस्ते"}).status_code == 401
    assert anonymous.get(f"/simulator/api/conversations/{NUMBER}").status_code == 401
    desk = Desk(app.test_client(), make_staff(app, "asha"))
    assert desk.login().status_code == 302
    assert desk.client.get("/simulator/").status_code == 200
    assert WhatsApp(desk.client, number=NUMBER).say("नमस्ते")
