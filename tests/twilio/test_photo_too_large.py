"""A photo over the size limit, from Twilio: the artisan hears that the file is too big (not that it never
arrived), and staff see it in the transcript as too big and not kept (newcomer report m6, m17)."""
from __future__ import annotations

from sqlalchemy import select

from db.models import Photo
from fakes import images
from tests.support.desk import Desk, conversation_id, make_staff
from tests.support.twilio import Twilio, messages

NUMBER = "+919812345678"


def test_an_over_size_photo_is_explained_and_shown_to_staff_as_too_big(twilio_app, fake_twilio):
    phone = Twilio(twilio_app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    phone.photo(fake_twilio.media(images.oversize_photo(seed=5)))
    reply = messages(twilio_app, "out")[-1].body
    assert "फ़ाइल बहुत बड़ी है" in reply and "पहुँच" not in reply
    with twilio_app.extensions["hunar"].db.session() as s:
        photo = s.scalar(select(Photo).order_by(Photo.id.desc()))
        assert (photo.verdict, photo.reason, photo.files) == ("reject", "too_large", {})

    desk = Desk(twilio_app.test_client(), make_staff(twilio_app, "asha"))
    desk.login()
    page = desk.get(f"/helpdesk/c/{conversation_id(twilio_app, NUMBER)}").get_data(as_text=True)
    assert "⊘ file too big, not kept" in page


def test_a_dark_photo_shows_in_the_transcript_with_its_verdict(twilio_app, fake_twilio):
    phone = Twilio(twilio_app.test_client())
    for text in ("नमस्ते", "हाँ", "सुनीता देवी", "हिसार", "दरी बुनाई"):
        phone.say(text)
    phone.photo(fake_twilio.media(images.encode(images.dark(images.product_photo(1200, 900, seed=6)))))
    desk = Desk(twilio_app.test_client(), make_staff(twilio_app, "asha"))
    desk.login()
    page = desk.get(f"/helpdesk/c/{conversation_id(twilio_app, NUMBER)}").get_data(as_text=True)
    transcript = page[page.index('id="transcript"'):page.index("</ol>")]
    assert 'alt="photo: retake: too dark"' in transcript and "verdict-bad" in transcript
    phone.photo(fake_twilio.media(images.encode(images.product_photo(1200, 900, seed=7))))
    page = desk.get(f"/helpdesk/c/{conversation_id(twilio_app, NUMBER)}").get_data(as_text=True)
    transcript = page[page.index('id="transcript"'):page.index("</ol>")]
    assert "⊘ photo too dark, not kept" in transcript, "dropped once a good photo came, it still says what it was"
    assert 'alt="photo: ok"' in transcript
