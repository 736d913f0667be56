"""When a listing is submitted the artisan reads, in Hindi, what they will receive, and what buyers abroad see
when eBay sells it at another price; the line sits before the bot's next question."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Listing
from fakes import images
from fakes.ebay import FakeEbay
from flows import prompts
from marketplace import pricing
from tests.support.shop import ebay_settings
from tests.support.whatsapp import WhatsApp, list_a_product

QUESTION = prompts.say("after_submit", "hi")


def _listing(app) -> Listing:
    with app.extensions["hunar"].db.session() as s:
        listing = s.scalar(select(Listing))
        s.expunge(listing)
        return listing


def test_without_ebay_the_artisan_hears_the_rupees_they_will_receive(make_app):
    app = make_app()
    phone = WhatsApp(app.test_client())
    list_a_product(phone)  # a ₹1200 durrie, confirmed with "हाँ"
    text = phone.text
    assert prompts.say("submitted", "hi") in text
    assert "आपको ₹1,200 मिलेंगे।" in text and "विदेश" not in text
    assert text.index("आपको ₹1,200 मिलेंगे।") < text.index(QUESTION), "the line comes before the question"
    assert phone.replies[-1]["text"].rsplit("\n\n", 1)[-1] == QUESTION


def test_with_ebay_the_artisan_also_hears_the_price_buyers_abroad_see(make_app):
    with FakeEbay() as ebay:
        app = make_app(config=ebay_settings(ebay, EBAY_AUTO_PUBLISH=1))
        phone = WhatsApp(app.test_client())
        list_a_product(phone)
        offer = next(iter(ebay.offers.values()))["pricingSummary"]["price"]["value"]
    listing = _listing(app)
    model = pricing.listing_quote("ebay", listing, app.extensions["hunar"].settings)
    assert offer == f"{model.price:.2f}" and model.payout_inr >= 1200
    line = f"आपको ₹1,200 मिलेंगे। विदेश में दाम ${offer} दिखेगा (फीस और डाक खर्च मिलाकर)।"
    assert line in phone.text and phone.text.count("आपको") == 1
    assert line == prompts.say("price_receive_abroad", "hi", value="₹1,200", amount=offer)


def test_on_sms_the_line_is_a_message_of_its_own_before_the_question():
    from bot.price_notice import with_notices
    from flows.types import Reply

    replies = [Reply("3 फोटो मिलीं"), Reply(prompts.say("submitted_sms", "hi") + "\n" + QUESTION)]
    line = prompts.say("price_receive", "hi", value="₹900")
    sms = with_notices(replies, [line], sms=True)
    assert [r.text for r in sms] == [replies[0].text, line, replies[1].text]
    whatsapp = with_notices([Reply("धन्यवाद!\n\n" + QUESTION)], [line])
    assert [r.text for r in whatsapp] == [f"धन्यवाद!\n\n{line}\n\n{QUESTION}"]
    assert with_notices(replies, []) == replies


def test_the_summary_card_says_what_the_artisan_will_receive_before_they_confirm(make_app):
    with FakeEbay() as ebay:
        app = make_app(config=ebay_settings(ebay))
        phone = WhatsApp(app.test_client())
        for text in ("नमस्ते", "हाँ", "सुनीता देवी", "पानीपत", "दरी बुनाई"):
            phone.say(text)
        phone.send_photos([images.encode(images.product_photo(1000, 750, seed=n)) for n in (1, 2)])
        for text in ("बस", "दरी", "सूती", "लाल", "6 बाई 4 फीट", "1200 रुपये", "5"):
            phone.say(text)
        summary = phone.say("हाथ से बुनी है")[-1]["text"]
        model = pricing.quote("ebay", 1200, {"hi": "दरी", "en": "durrie"}, {}, app.extensions["hunar"].settings)
        line = prompts.say("price_receive_abroad", "hi", value="₹1,200", amount=f"{model.price:.2f}")
        assert line in summary and summary.index(line) > summary.index("₹1,200 (")  # under the card, before the question
        assert summary.rsplit("\n\n", 1)[-1] == "क्या सब सही है? जैसे: हाँ"  # the question stays last
        phone.say("कीमत गलत है")
        changed = phone.say("1500 रुपये")[-1]["text"]  # a new price: the summary comes back with its new line
        assert "आपको ₹1,500 मिलेंगे।" in changed and line not in changed
