"""The helpdesk at work: the queue, takeover, replies, the 24-hour window, draft fixes, reviews, hand-back, audit."""
from __future__ import annotations

import json
import re
import threading
from datetime import timedelta

from sqlalchemy import select

from db.models import Artisan, Conversation, Event, Listing, Message
from fakes import images
from marketplace import listings
from tests.support.clock import Clock
from tests.support.desk import PASSWORD, Desk, conversation_id, make_staff
from tests.support.whatsapp import WhatsApp

ONBOARD = ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई")


def _onboarded(client, number=None) -> WhatsApp:
    phone = WhatsApp(client, number)
    for text in ONBOARD:
        phone.say(text)
    return phone


def _claimed(app, agent) -> tuple[WhatsApp, int]:
    """An onboarded artisan who asked for a person, and the agent who took the conversation over."""
    phone = _onboarded(app.test_client())
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    return phone, cid


def _events(app, kind: str) -> list[Event]:
    with app.extensions["hunar"].db.session() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def _rows(page: str) -> str:
    return page[page.index('<tbody id="queue-rows">'):]


def test_queue_lists_flagged_conversations_oldest_first_with_filters(app, agent):
    first = _onboarded(app.test_client())
    first.say("इंसान से बात करनी है")
    second = _onboarded(app.test_client())
    for _ in range(3):
        second.say("मेरा गाँव")  # three misses at the photos step ("पता नहीं" is a skip now: help, not a miss)
    page = agent.get("/helpdesk/").get_data(as_text=True)
    assert re.search(r"<title>\(2\) Queue", page)
    rows = _rows(page)
    assert rows.index("Asked for a person") < rows.index("Three misses at one step")
    assert "photos" in rows and "unassigned" in rows
    agent.post(f"/helpdesk/c/{conversation_id(app, first.number)}/claim")
    mine = _rows(agent.get("/helpdesk/?show=mine").get_data(as_text=True))
    assert "Asked for a person" in mine and "Three misses" not in mine
    unassigned = _rows(agent.get("/helpdesk/?show=unassigned").get_data(as_text=True))
    assert "Asked for a person" not in unassigned and "Three misses" in unassigned
    by_reason = agent.get("/helpdesk/queue/rows?reason=misses").get_data(as_text=True)
    assert "Three misses" in by_reason and "Asked for a person" not in by_reason and 'data-count="2"' in by_reason


def test_while_a_person_helps_the_bot_sends_nothing(app, agent):
    phone = _onboarded(app.test_client())
    phone.say("किसी से बात कराओ")
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    assert "asha" in phone.state()["messages"][-1]["text"]  # told a person is helping
    assert phone.say("नमस्ते") == []
    assert phone.send_photo(images.encode(images.product_photo(1200, 900, seed=2))) == []
    assert phone.say("रुको") == []
    assert phone.state()["conversation"]["mode"] == "human"
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert "रुको" in page and 'class="thumb"' in page  # the photo shows as a thumbnail


def test_a_staff_reply_goes_through_the_outbox_and_is_audited(app, agent):
    phone, cid = _claimed(app, agent)
    photo = images.encode(images.product_photo(800, 600, seed=3))
    import io

    agent.post(f"/helpdesk/c/{cid}/reply", {"text": "ऐसी फोटो भेजें", "photo": (io.BytesIO(photo), "p.jpg")},
               content_type="multipart/form-data")
    with app.extensions["hunar"].db.session() as s:
        row = s.scalars(select(Message).where(Message.conversation_id == cid, Message.author == "staff")
                        .order_by(Message.id.desc())).first()
        assert row.body == "ऐसी फोटो भेजें" and row.status == "delivered" and row.staff_id == agent.user.id
        assert row.media and row.media[0]["key"].startswith("staff/")
    key = row.media[0]["key"]
    assert app.test_client().get(f"/media/{key}").status_code == 200
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert f"/media/{key}" in page and "✓✓" in page
    event = _events(app, "helpdesk.reply")[-1]
    assert event.actor == f"staff:{agent.user.id}" and event.conversation_id == cid


def test_only_the_holder_may_reply(app, agent):
    phone = _onboarded(app.test_client())
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/reply", {"text": "नमस्ते"})
    assert "Take over the conversation first" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)


def test_outside_the_window_the_composer_offers_the_template(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock}, config={"TWILIO_TEMPLATES": {"helpdesk": "HX0123"}})
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    phone, cid = _claimed(app, agent)
    clock.advance(timedelta(hours=25))
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert "Outside WhatsApp's 24-hour window" in page and "Send the approved template" in page
    assert 'id="reply-text"' not in page
    agent.post(f"/helpdesk/c/{cid}/reply", {"text": "नमस्ते"})
    assert "more than 24 hours old" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    agent.post(f"/helpdesk/c/{cid}/template")
    with app.extensions["hunar"].db.session() as s:
        row = s.scalars(select(Message).where(Message.conversation_id == cid).order_by(Message.id.desc())).first()
        assert row.extra["template"] == {"name": "helpdesk", "variables": {"1": "सुनीता देवी"}}
        assert (row.author, row.status) == ("staff", "delivered"), "the template went out through the outbox"


def test_without_an_approved_template_the_page_says_so(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    phone, cid = _claimed(app, agent)
    clock.advance(timedelta(days=2))
    assert "No approved template is configured" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)


def test_draft_fields_are_read_by_the_bots_parsers(app, agent):
    phone, cid = _claimed(app, agent)
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "price", "value": "बहुत"})
    assert "price: not accepted" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "price", "value": "barah sau rupay"})
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "colour", "value": "लाल और नीला"})
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "photos", "value": "x"})
    draft = phone.state()["draft"]
    assert draft["price"] == {"amount": 1200, "per": "piece"} and len(draft["colour"]) == 2
    edits = _events(app, "helpdesk.edit")
    assert [e.data["field"] for e in edits] == ["price", "colour"]


def test_a_profile_edit_keeps_the_hindi_name_not_the_pair(app, agent):
    """Review §3.9: staff editing the district stored "{'hi': 'करनाल', 'en': 'Karnal'}" in the artisan's row."""
    phone, cid = _claimed(app, agent)
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "district", "value": "karnal"})
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "craft", "value": "दरी"})
    assert phone.state()["artisan"]["district"] == "करनाल" and phone.state()["artisan"]["craft"] == "दरी"
    assert _events(app, "helpdesk.edit")[0].data["after"] == {"hi": "करनाल", "en": "Karnal"}


def test_hand_back_asks_the_chosen_step_and_clears_the_flag(app, agent):
    phone, cid = _claimed(app, agent)
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "product", "value": "दरी"})
    resp = agent.post(f"/helpdesk/c/{cid}/hand-back", {"step": "material"})
    assert resp.headers["Location"].endswith("/helpdesk/")
    state = phone.state()
    assert state["conversation"]["mode"] == "bot" and state["conversation"]["step"] == "material"
    assert state["conversation"]["flagged"] is None and state["messages"][-1]["author"] == "bot"
    assert phone.say("सूती") and phone.state()["draft"]["material"]
    assert _events(app, "helpdesk.hand_back")[-1].data["step"] == "material"
    assert "Nobody is waiting" in agent.get("/helpdesk/").get_data(as_text=True)


def test_close_says_goodbye(app, agent):
    phone, cid = _claimed(app, agent)
    agent.post(f"/helpdesk/c/{cid}/hand-back", {"step": "close"})
    assert "धन्यवाद" in phone.state()["messages"][-1]["text"]


def _listing_in_review(app, phone) -> int:
    services = app.extensions["hunar"]
    with services.db.session() as s:
        artisan = s.scalar(select(Artisan).where(Artisan.address == phone.address))
        listing = listings.create_listing(s, artisan_id=artisan.id, review=True, now=services.clock(), photo_ids=(),
                                          slots={"product": {"hi": "दरी", "en": "durrie"}, "quantity": 2,
                                                 "price": {"amount": 900, "per": "piece"}})
        return listing.id


def test_a_listing_waiting_for_review_is_flagged_published_and_the_artisan_told(app, agent):
    phone = _onboarded(app.test_client())
    listing_id = _listing_in_review(app, phone)
    from bot.jobs import sweep_stuck

    assert sweep_stuck(app.extensions["hunar"]) == 1
    assert "Listing waiting for review" in _rows(agent.get("/helpdesk/").get_data(as_text=True))
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/field", {"field": "price", "value": "1100"})
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "published"})
    with app.extensions["hunar"].db.session() as s:
        listing = s.get(Listing, listing_id)
        assert listing.status == "published" and listing.price_amount == 1100
    assert "बिक्री पर है" in phone.state()["messages"][-1]["text"]
    assert _events(app, "helpdesk.publish")[-1].actor == f"staff:{agent.user.id}"


def test_a_rejection_needs_a_reason_which_the_artisan_gets(app, agent):
    phone = _onboarded(app.test_client())
    listing_id = _listing_in_review(app, phone)
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "rejected"})
    assert "Say why" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "rejected", "reason": "फोटो धुंधली है"})
    assert "कारण: फोटो धुंधली है" in phone.state()["messages"][-1]["text"]


def test_quiet_artisans_mid_listing_are_flagged_after_the_setting(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock}, config={"STUCK_AFTER_MINUTES": 20})
    phone = _onboarded(app.test_client())
    from bot.jobs import sweep_stuck

    clock.advance(timedelta(minutes=10))
    assert sweep_stuck(app.extensions["hunar"]) == 0
    clock.advance(timedelta(minutes=15))
    assert sweep_stuck(app.extensions["hunar"]) == 1
    assert sweep_stuck(app.extensions["hunar"]) == 0  # flagged once
    with app.extensions["hunar"].db.session() as s:
        conv = s.get(Conversation, conversation_id(app, phone.number))
        assert conv.flag_reason == "no_reply" and conv.flagged_at is not None


def test_notes_are_private_and_the_audit_is_visible(app, agent):
    phone = _onboarded(app.test_client())
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    agent.post(f"/helpdesk/c/{cid}/note", {"body": "बेटे के फोन से लिखती हैं"})
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/reply", {"text": "नमस्ते"})
    assert all("बेटे" not in m["text"] for m in phone.state()["messages"])
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert "बेटे के फोन से लिखती हैं" in page
    audit = page[page.index("<h2>Audit</h2>"):]
    for kind in ("helpdesk.takeover", "helpdesk.reply", "helpdesk.note", "conversation.flagged"):
        assert kind in audit
    assert "<strong>asha</strong>" in audit


def test_canned_replies_are_hindi_and_admins_manage_them(app, agent, admin):
    phone, cid = _claimed(app, agent)
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    option = re.search(r'<option value="(\d+)" data-body="([^"]*)">Ask the price</option>', page)
    assert option and "कीमत" in option.group(2)
    agent.post(f"/helpdesk/c/{cid}/reply", {"text": "", "canned": option.group(1)})
    assert "कीमत" in phone.state()["messages"][-1]["text"]
    admin.post("/helpdesk/admin/canned", {"title": "Thanks", "body": "धन्यवाद!"})
    assert "धन्यवाद!" in admin.get("/helpdesk/admin/canned").get_data(as_text=True)


def test_admins_create_staff_with_a_one_time_password(app, admin):
    page = admin.post("/helpdesk/admin/staff", {"name": "meena", "role": "agent"}, follow_redirects=True)
    password = re.search(r"One-time password: (\S+)", page.get_data(as_text=True)).group(1)
    desk = Desk(app.test_client(), type("U", (), {"name": "meena"}))
    assert desk.login(password).headers["Location"].endswith("/helpdesk/password")


def test_cli_creates_staff(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["helpdesk", "create-user", "kiran", "--role", "admin", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["helpdesk", "create-user", "lata", "--role", "agent"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["helpdesk", "create-user", "x", "--password", "short"]).exit_code != 0
    assert Desk(app.test_client(), type("U", (), {"name": "kiran"})).login().status_code == 302


def test_analytics_counts_starts_listings_and_help(app, agent):
    phone = _onboarded(app.test_client())
    _listing_in_review(app, phone)
    other = _onboarded(app.test_client())
    other.say("इंसान से बात करनी है")
    page = agent.get("/helpdesk/analytics").get_data(as_text=True)
    assert re.search(r'id="started">2<', page) and re.search(r'id="listed">1<', page)
    assert re.search(r'id="help-share">50%<', page) and "min" in page


def test_live_events_stream_messages_as_they_happen(app, agent):
    resp = agent.client.get("/helpdesk/events", buffered=False)
    assert resp.mimetype == "text/event-stream"
    chunks = iter(resp.response)
    assert next(chunks).startswith(b"retry:")
    artisan = threading.Timer(0.2, lambda: WhatsApp(app.test_client()).say("नमस्ते"))
    artisan.start()
    data = b""
    while b"data:" not in data:
        data += next(chunks)
    event = json.loads(data.split(b"data:", 1)[1].split(b"\n\n", 1)[0])
    assert event["kind"] == "message" and event["conversation_id"]
    resp.close()
    artisan.join(timeout=120)  # the bot's answer finishes before the next test empties the database
    assert not artisan.is_alive()


def test_past_the_stream_limit_pages_are_told_to_poll(make_app):
    app = make_app(config={"HELPDESK_LIVE_STREAMS": 1})
    desk = Desk(app.test_client(), make_staff(app, "asha"))
    desk.login()
    first = desk.client.get("/helpdesk/events", buffered=False)
    next(iter(first.response))
    assert desk.client.get("/helpdesk/events", buffered=False).status_code == 204
    first.close()
    again = desk.client.get("/helpdesk/events", buffered=False)
    assert again.status_code == 200
    again.close()
