"""The artisan's profile, corrected by the artisan (through the WhatsApp driver) and by staff on the conversation
page's Artisan card (through the desk driver): kept, audited, listings rebuilt, no take-over, no message."""
from __future__ import annotations

from sqlalchemy import func, select

from db.models import Artisan, Conversation, Event, Listing, Message
from tests.support.desk import conversation_id
from tests.support.whatsapp import WhatsApp, list_a_product

ONBOARD = ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई")


def _onboarded(client) -> WhatsApp:
    phone = WhatsApp(client)
    for text in ONBOARD:
        phone.say(text)
    return phone


def _artisan(app, number: str) -> Artisan:
    with app.extensions["hunar"].db.session() as s:
        artisan = s.scalar(select(Artisan).where(Artisan.address == f"sim:{number}"))
        s.expunge(artisan)
        return artisan


def _events(app, kind: str) -> list[Event]:
    with app.extensions["hunar"].db.session() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def _outbound(app, cid: int) -> int:
    with app.extensions["hunar"].db.session() as s:
        return s.scalar(select(func.count()).select_from(Message).where(Message.conversation_id == cid,
                                                                        Message.direction == "outbound"))


# --- by the artisan


def test_a_district_given_as_the_name_is_questioned_and_corrected_in_the_chat(app):
    """The newcomer's conversation (c): "hisar" for the name, then "mera naam Sunita hai, Hisar nahi" after."""
    phone = WhatsApp(app.test_client())
    phone.say("hello")
    phone.say("haan ji")
    assert "आपका नाम Hisar है? हाँ या नहीं" in phone.say("hisar")[0]["text"]
    assert "धन्यवाद, सुनीता जी।" in phone.say("नहीं, मेरा नाम सुनीता है")[0]["text"]
    done = phone.say("punjabi jutti")[0]["text"]
    assert "धन्यवाद सुनीता जी!" in done and "नाम सुनीता, जिला हिसार, काम जूती" in done
    artisan = _artisan(app, phone.number)
    assert (artisan.name, artisan.district, artisan.craft) == ("सुनीता", "हिसार", "जूती")
    reply = phone.say("mera naam Sunita Devi hai, Hisar nahi")[0]["text"]
    assert "ठीक है, आपका नाम Sunita Devi लिख लिया।" in reply and "फोटो" in reply  # the photos question again
    assert _artisan(app, phone.number).name == "Sunita Devi"
    assert _events(app, "artisan.profile")[-1].data["fields"] == ["name"]


def test_a_corrected_name_reaches_the_listings_that_show_it(app):
    phone = WhatsApp(app.test_client())
    list_a_product(phone)
    with app.extensions["hunar"].db.session() as s:
        listing = s.scalar(select(Listing).join(Artisan).where(Artisan.address == phone.address))
        assert "सुनीता देवी" in listing.description["hi"]
    phone.say("मेरा नाम सुनीता कुमारी है")
    with app.extensions["hunar"].db.session() as s:
        listing = s.get(Listing, listing.id)
        assert "सुनीता कुमारी" in listing.description["hi"] and "सुनीता देवी" not in listing.description["hi"]


def test_a_first_message_asking_for_a_person_is_in_the_queue_at_once(app, agent):
    phone = WhatsApp(app.test_client())
    text = phone.say("इंसान से बात करनी है")[0]["text"]
    assert "टीम का कोई साथी" in text and "मेरा डेटा हटाओ" in text and "क्या आप राज़ी हैं" in text
    cid = conversation_id(app, phone.number)
    with app.extensions["hunar"].db.session() as s:
        assert s.get(Conversation, cid).flag_reason == "asked_human"
    assert "Asked for a person" in agent.get("/helpdesk/").get_data(as_text=True)


# --- by staff


def test_staff_correct_the_profile_without_taking_over_and_without_a_message(app, agent):
    phone = _onboarded(app.test_client())
    cid = conversation_id(app, phone.number)
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert 'id="profile-name" value="सुनीता देवी"' in page and 'value="Hisar (हिसार)"' in page
    sent = _outbound(app, cid)
    resp = agent.post(f"/helpdesk/c/{cid}/profile", {"name": "Sunita Rani", "district": "Panipat (पानीपत)",
                                                     "craft": "दरी बुनाई"})
    assert resp.status_code == 303
    artisan = _artisan(app, phone.number)
    assert (artisan.name, artisan.district, artisan.craft) == ("Sunita Rani", "पानीपत", "दरी बुनाई")
    with app.extensions["hunar"].db.session() as s:
        conv = s.get(Conversation, cid)
        assert conv.assignee_id is None and conv.mode == "bot"
        assert conv.context["profile"]["name"] == "Sunita Rani"
    assert _outbound(app, cid) == sent, "the artisan is not messaged"
    events = _events(app, "helpdesk.profile")
    assert [(e.data["field"], e.data["before"], e.data["after"]) for e in events] == [
        ("name", "सुनीता देवी", "Sunita Rani"), ("district", "हिसार", "पानीपत")]
    assert all(e.actor == f"staff:{agent.user.id}" for e in events)
    assert "Saved: name, district." in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert "नमस्ते Sunita Rani जी" in phone.say("नमस्ते")[0]["text"], "the bot greets by the corrected name"


def test_staff_profile_values_are_checked(app, agent):
    phone = _onboarded(app.test_client())
    cid = conversation_id(app, phone.number)
    for form, error in [({"district": "Londonn"}, "is not a Haryana district Hunar knows"),
                        ({"district": "7"}, "is not a Haryana district Hunar knows"),
                        ({"name": "Sunita 2"}, "a name has no digits"),
                        ({"name": "S" * 61}, "too long"),
                        ({"craft": "bahut saare kaam karti hai woh sab kuch"}, "too long")]:
        agent.post(f"/helpdesk/c/{cid}/profile", form)
        page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
        assert error in page, form
    artisan = _artisan(app, phone.number)
    assert (artisan.name, artisan.district, artisan.craft) == ("सुनीता देवी", "हिसार", "दरी बुनाई")
    assert _events(app, "helpdesk.profile") == []


def test_staff_correct_a_name_while_the_bot_is_still_asking_the_onboarding(app, agent):
    phone = WhatsApp(app.test_client())
    for text in ("नमस्ते", "हाँ", "हिसार", "हाँ"):  # "Hisar" kept as the name; the district is asked next
        phone.say(text)
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/profile", {"name": "सुनीता"})
    phone.say("हिसार")
    done = phone.say("जूती")[0]["text"]
    assert "धन्यवाद सुनीता जी!" in done
    assert _artisan(app, phone.number).name == "सुनीता"
