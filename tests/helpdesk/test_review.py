"""Review without taking over (issue 19; newcomer report M5, M6, m11, m12, m15, m16, m18): listings are flagged
when submitted, with their real waiting time; staff approve or reject from the queue or the conversation page,
the artisan gets one message (the link, or the reason) and the bot keeps its mode."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from db.models import Conversation, Flag, Listing
from fakes import images
from tests.support.clock import Clock
from tests.support.desk import PASSWORD, Desk, conversation_id, make_staff
from tests.support.whatsapp import WhatsApp

ONBOARD = ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई")
LISTING = ("बस", "दरी", "सूती", "लाल और नीला", "6 बाई 4 फीट", "900", "5", "छोड़ें")
BASE = "https://hunar.example"


def onboarded(app, name: str = "सुनीता देवी") -> WhatsApp:
    phone = WhatsApp(app.test_client())
    for text in (*ONBOARD[:2], name, *ONBOARD[3:]):
        phone.say(text)
    return phone


def to_confirm(phone: WhatsApp) -> None:
    """From the first photo question to the summary ("सब सही है?")."""
    phone.send_photo(images.encode(images.product_photo(1200, 900, seed=4)))
    for text in LISTING:
        phone.say(text)
    assert phone.state()["conversation"]["step"] == "confirm"


def submitted(app, name: str = "सुनीता देवी") -> tuple[WhatsApp, int]:
    """An artisan who sent a listing for review (confirmed with "हाँ"), and that listing's id."""
    phone = onboarded(app, name)
    to_confirm(phone)
    assert "जाँच के लिए" in phone.say("हाँ")[0]["text"]
    listing = phone.state()["listings"][-1]
    assert listing["status"] == "review"
    return phone, listing["id"]


def sent_after(phone: WhatsApp, message_id: int) -> list[dict]:
    return [m for m in phone.state()["messages"] if m["direction"] == "out" and m["id"] > message_id]


def last_id(phone: WhatsApp) -> int:
    return phone.state()["messages"][-1]["id"]


def open_flags(app, cid: int) -> list[Flag]:
    with app.extensions["hunar"].db.session() as s:
        flags = list(s.scalars(select(Flag).where(Flag.conversation_id == cid, Flag.closed_at.is_(None))
                               .order_by(Flag.opened_at)))
        s.expunge_all()
        return flags


def queue_rows(desk) -> list[str]:
    """The queue's rows, each as its HTML, in the order shown."""
    page = desk.get("/helpdesk/queue/rows").get_data(as_text=True)
    return re.findall(r'<tr class="[^"]*" data-conversation="\d+">.*?</tr>', page, re.S)


def test_a_listing_is_flagged_when_submitted_with_its_real_waiting_time(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    phone, listing_id = submitted(app)
    submitted_at = clock()
    cid = conversation_id(app, phone.number)
    assert phone.state()["conversation"]["flagged"] == "review"  # before any sweep or queue visit
    clock.advance(timedelta(minutes=27))
    desk = Desk(app.test_client(), make_staff(app, "asha"))
    desk.login()
    [row] = queue_rows(desk)
    assert "Listing waiting for review" in row and f"Listing #{listing_id} waiting: दरी" in row
    assert ">27 min<" in row, "the wait counts from the submission, not from when the queue was opened"
    [flag] = open_flags(app, cid)
    assert (flag.reason, flag.listing_id) == ("review", listing_id)
    assert flag.opened_at.replace(tzinfo=None) == submitted_at.replace(tzinfo=None)


def test_approving_needs_no_take_over_and_sends_one_message_with_the_link(make_app):
    app = make_app(config={"PUBLIC_BASE_URL": BASE})
    phone, listing_id = submitted(app)
    cid = conversation_id(app, phone.number)
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    before = last_id(phone)
    resp = agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "published", "back": "queue"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/helpdesk/")
    [message] = sent_after(phone, before)
    assert message["author"] == "staff" and "बिक्री पर है" in message["text"]
    assert f"{BASE}/listings/{listing_id}" in message["text"]
    assert "नमस्ते" not in message["text"], "no greeting: nobody took the conversation over"
    state = phone.state()
    assert state["conversation"]["mode"] == "bot" and state["conversation"]["flagged"] is None
    assert state["listings"][-1]["status"] == "published"
    with app.extensions["hunar"].db.session() as s:
        assert s.get(Conversation, cid).assignee_id is None
    assert "Nobody is waiting" in agent.get("/helpdesk/queue/rows").get_data(as_text=True)
    assert phone.say("मेरी लिस्टिंग"), "the bot, never taken off, answers at once"
    assert phone.state()["messages"][-1]["author"] == "bot"


def test_a_rejection_needs_a_reason_which_the_artisan_hears_in_hindi_and_the_bot_stays(make_app):
    app = make_app()
    phone, listing_id = submitted(app)
    cid = conversation_id(app, phone.number)
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    before = last_id(phone)
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "rejected"})
    assert "Say why" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert sent_after(phone, before) == [] and phone.state()["listings"][-1]["status"] == "review"
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review",
               {"decision": "rejected", "reason": "फोटो धुंधली है, दिन की रोशनी में दोबारा खींचें"})
    [message] = sent_after(phone, before)
    assert message["text"].startswith("माफ़ कीजिए") and "कारण: फोटो धुंधली है" in message["text"]
    state = phone.state()
    assert state["listings"][-1]["status"] == "rejected" and state["conversation"]["mode"] == "bot"
    assert phone.say("नया सामान") and phone.state()["messages"][-1]["author"] == "bot"
    assert open_flags(app, cid) == []


def test_a_listing_reviewed_twice_is_refused_the_second_time(make_app):
    app = make_app()
    phone, listing_id = submitted(app)
    cid = conversation_id(app, phone.number)
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "published"})
    before = last_id(phone)
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "rejected", "reason": "x"})
    assert "cannot be rejected" in agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    assert sent_after(phone, before) == []


def test_the_queue_is_oldest_first_by_real_waiting_time(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    first, _ = submitted(app, "कमला")
    clock.advance(timedelta(minutes=6))
    helped = onboarded(app, "राधा")
    helped.say("इंसान से बात करनी है")
    clock.advance(timedelta(minutes=4))
    second, _ = submitted(app, "गीता")
    clock.advance(timedelta(minutes=20))
    desk = Desk(app.test_client(), make_staff(app, "asha"))
    desk.login()
    rows = queue_rows(desk)
    assert [next(n for n in ("कमला", "राधा", "गीता") if n in row) for row in rows] == ["कमला", "राधा", "गीता"]
    assert [re.search(r"<time[^>]*>([^<]+)</time>", row).group(1) for row in rows] == ["30 min", "24 min", "20 min"]
    assert all(re.search(r'<time data-since="2026-11-26T\d\d:\d\d:\d\d\+00:00">', row) for row in rows)


def test_several_reasons_stay_open_on_one_conversation_and_close_one_by_one(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    phone = onboarded(app)
    phone.send_photo(images.encode(images.product_photo(1200, 900, seed=4)))
    for text in LISTING[:-1]:
        phone.say(text)
    phone.send_media(b"OggS\x00\x02" + bytes(300), "audio/ogg")  # a voice note as the description: flagged, kept
    clock.advance(timedelta(minutes=3))
    phone.say("हाँ")
    cid = conversation_id(app, phone.number)
    assert [f.reason for f in open_flags(app, cid)] == ["voice_note", "review"]
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    [row] = queue_rows(agent)
    assert "Voice note the bot cannot read" in row and "Listing waiting for review" in row
    assert "Voice note at 15:00" in row and "media [" not in row, "09:30 UTC is 15:00 IST, in words"
    assert ">3 min<" in row, "the oldest open reason sets the wait"
    page = agent.get(f"/helpdesk/c/{cid}").get_data(as_text=True)
    status = page[page.index("<h2>Status</h2>"):page.index("<h2>Artisan</h2>")]
    assert "Voice note the bot cannot read" in status and "Listing waiting for review" in status
    listing_id = phone.state()["listings"][-1]["id"]
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "published"})
    assert [f.reason for f in open_flags(app, cid)] == ["voice_note"]
    assert queue_rows(agent) and "Listing waiting" not in queue_rows(agent)[0]
    filtered = agent.get("/helpdesk/queue/rows?reason=review").get_data(as_text=True)
    assert "Nobody is waiting" in filtered


def test_hand_back_closes_the_help_flags_but_not_a_waiting_review(make_app):
    app = make_app()
    phone, listing_id = submitted(app)
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/hand-back", {"step": "menu"})
    assert [(f.reason, f.listing_id) for f in open_flags(app, cid)] == [("review", listing_id)]
    assert phone.state()["conversation"]["flagged"] == "review"


def test_a_listing_submitted_after_a_hand_back_at_confirm_is_flagged_at_once(make_app):
    """m18: staff fix the draft and hand back at confirm; the artisan's "हाँ" puts the listing in the queue."""
    app = make_app()
    phone = onboarded(app)
    to_confirm(phone)
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    agent.post(f"/helpdesk/c/{cid}/claim")
    agent.post(f"/helpdesk/c/{cid}/field", {"field": "price", "value": "1100"})
    agent.post(f"/helpdesk/c/{cid}/hand-back", {"step": "confirm"})
    assert open_flags(app, cid) == []
    phone.say("हाँ")
    [flag] = open_flags(app, cid)
    assert flag.reason == "review" and flag.listing_id == phone.state()["listings"][-1]["id"]
    assert "Listing waiting for review" in queue_rows(agent)[0]


def test_a_listing_put_in_review_another_way_is_flagged_by_the_sweep_with_its_own_time(make_app):
    from bot.jobs import sweep_stuck
    from marketplace import listings

    clock = Clock()
    app = make_app(services={"clock": clock}, config={"STUCK_AFTER_MINUTES": 600})  # no "no_reply" flag too
    phone = onboarded(app)
    services = app.extensions["hunar"]
    with services.db.session() as s:
        conv = s.get(Conversation, conversation_id(app, phone.number))
        listing = listings.create_listing(s, artisan_id=conv.artisan_id, review=True, now=clock(), photo_ids=(),
                                          slots={"product": {"hi": "दरी", "en": "durrie"}, "quantity": 2})
        listing_id, cid = listing.id, conv.id
    clock.advance(timedelta(minutes=40))
    assert sweep_stuck(services) == 1 and sweep_stuck(services) == 0
    [flag] = open_flags(app, cid)
    assert flag.listing_id == listing_id and flag.opened_at.replace(tzinfo=None) == (
        clock() - timedelta(minutes=40)).replace(tzinfo=None)


def test_analytics_leave_reviews_out_of_needed_help(make_app):
    app = make_app()
    submitted(app, "कमला")
    submitted(app, "गीता")
    helped = onboarded(app, "राधा")
    helped.say("इंसान से बात करनी है")
    onboarded(app, "लता")
    desk = Desk(app.test_client(), make_staff(app, "asha"))
    desk.login()
    page = desk.get("/helpdesk/analytics").get_data(as_text=True)
    assert re.search(r'id="started">4<', page) and re.search(r'id="listed">2<', page)
    assert re.search(r'id="help-share">25%<', page), "one of four needed a person; two reviews are not help"


def test_the_greeting_uses_the_display_name_and_needs_no_gender(app, admin):
    make_staff(app, "seema01")
    page = admin.get("/helpdesk/admin/staff").get_data(as_text=True)
    user_id = re.search(r'data-staff="seema01">.*?/helpdesk/admin/staff/(\d+)"', page, re.S).group(1)
    admin.post(f"/helpdesk/admin/staff/{user_id}", {"action": "profile", "display_name": "सीमा", "gender": ""})
    seema = Desk(app.test_client(), type("U", (), {"name": "seema01"}))
    seema.login()
    phone = onboarded(app)
    phone.say("इंसान से बात करनी है")
    cid = conversation_id(app, phone.number)
    seema.post(f"/helpdesk/c/{cid}/claim")
    greeting = phone.state()["messages"][-1]["text"]
    assert greeting.startswith("नमस्ते, मैं सीमा, हुनर टीम से।") and "seema01" not in greeting
    assert "रहा हूँ" not in greeting and "रही हूँ" not in greeting and "मैं यहाँ हूँ" in greeting


def test_a_chosen_greeting_form_is_used(app, admin):
    admin.post("/helpdesk/admin/staff", {"name": "gurpreet", "role": "agent", "display_name": "गुरप्रीत",
                                         "gender": "f"})
    page = admin.get("/helpdesk/admin/staff").get_data(as_text=True)
    assert re.search(r'value="गुरप्रीत"', page)
    from helpdesk import accounts

    with app.extensions["hunar"].db.session() as s:
        from db.models import StaffUser

        user = s.scalar(select(StaffUser).where(StaffUser.name == "gurpreet"))
        accounts.set_password(s, user, PASSWORD, now=app.extensions["hunar"].clock(), must_change=False, actor="t")
    desk = Desk(app.test_client(), type("U", (), {"name": "gurpreet"}))
    desk.login()
    phone = onboarded(app)
    phone.say("इंसान से बात करनी है")
    desk.post(f"/helpdesk/c/{conversation_id(app, phone.number)}/claim")
    assert "मैं गुरप्रीत, हुनर टीम से। अब मैं आपकी मदद कर रही हूँ" in phone.state()["messages"][-1]["text"]


def test_create_user_takes_a_display_name_and_greeting_form(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["helpdesk", "create-user", "ravi", "--role", "agent", "--password", PASSWORD,
                                 "--display-name", "रवि", "--greeting", "m"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["helpdesk", "create-user", "x1", "--password", PASSWORD, "--greeting", "q"]).exit_code
    desk = Desk(app.test_client(), type("U", (), {"name": "ravi"}))
    desk.login()
    phone = onboarded(app)
    phone.say("इंसान से बात करनी है")
    desk.post(f"/helpdesk/c/{conversation_id(app, phone.number)}/claim")
    assert "मैं रवि, हुनर टीम से। अब मैं आपकी मदद कर रहा हूँ" in phone.state()["messages"][-1]["text"]


def test_withdrawing_a_listing_in_review_takes_it_out_of_the_queue(make_app):
    app = make_app()
    phone, listing_id = submitted(app)
    cid = conversation_id(app, phone.number)
    services = app.extensions["hunar"]
    from bot.effects import EffectRunner
    from flows import types as t

    with services.db.session() as s:
        conv = s.get(Conversation, cid)
        EffectRunner(review=True).apply(s, conv, conv.artisan, [t.UpdateListing(listing_id, {"status": "withdrawn"})],
                                        services.clock())
    assert open_flags(app, cid) == []
    with services.db.session() as s:
        assert s.get(Listing, listing_id).status == "withdrawn"


def test_on_sms_the_publish_message_is_one_short_part_with_the_whole_link(make_app):
    from marketplace import listings

    app = make_app(config={"PUBLIC_BASE_URL": "https://hunar-haryana.example.org"})
    phone = WhatsApp(app.test_client(), channel="sms")
    for text in ONBOARD:
        phone.say(text)
    services = app.extensions["hunar"]
    cid = conversation_id(app, phone.number)
    with services.db.session() as s:
        conv = s.get(Conversation, cid)
        listing_id = listings.create_listing(s, artisan_id=conv.artisan_id, review=True, now=services.clock(),
                                             photo_ids=(), slots={"product": {"hi": "लाल पंजा दरी", "en": "durrie"}}).id
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    before = last_id(phone)
    agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "published"})
    [message] = sent_after(phone, before)
    assert message["text"] == f"बधाई हो! लाल पंजा दरी अब बिक्री पर है: https://hunar-haryana.example.org/listings/{listing_id}"
    assert len(message["text"]) <= 134


def test_flag_details_read_as_words_not_ids():
    """m15: what the bot logs ("media [162]", "listing.size: …", "message 88: failed 63016") as staff read it."""
    from datetime import datetime, timezone

    from helpdesk.flag_words import describe

    at = datetime(2026, 12, 1, 12, 12, tzinfo=timezone.utc)  # 17:42 IST
    assert describe("voice_note", "media [162]", at) == "Voice note at 17:42"
    assert describe("misses", "listing.size: 7 number, UK 7", at) == "At the size step: “7 number, UK 7”"
    assert describe("asked_human", "listing.description", at) == "At the description step"
    assert describe("no_reply", "listing.price: silent since 11:50", at) == "No answer at the price step"
    assert describe("send_failed", "message 88: failed 63016", at) == "A reply could not be sent at 17:42 (Twilio error 63016)"
    assert describe("bot_error", "message 90", at) == "The bot could not handle a message at 17:42"
    assert describe("review", "Listing #3 waiting: फुलकारी दुपट्टा", at) == "Listing #3 waiting: फुलकारी दुपट्टा"
    assert describe("photo_rejected", None, at) == ""


def test_outside_the_24_hours_the_listing_is_published_and_staff_are_told_the_artisan_was_not(make_app):
    clock = Clock()
    app = make_app(services={"clock": clock})
    phone, listing_id = submitted(app)
    cid = conversation_id(app, phone.number)
    clock.advance(timedelta(hours=25))
    agent = Desk(app.test_client(), make_staff(app, "asha"))
    agent.login()
    before = last_id(phone)
    page = agent.post(f"/helpdesk/c/{cid}/listings/{listing_id}/review", {"decision": "published"},
                      follow_redirects=True).get_data(as_text=True)
    assert "could not be told now" in page
    assert sent_after(phone, before) == [] and phone.state()["listings"][-1]["status"] == "published"
